{#- Each resolved actor's side of every conflict pair, with both claims: what
    the dashboard's actor page lists ("who contradicts this actor") and counts.
    A pair has two sides, one per claim; a self-reversal gives its actor both.
    Selecting one actor's sides from fct_contradictions means a union of two
    filtered scans and three joins per page view; here it is one range of rows,
    stored in actor order so DuckDB skips the row groups of other actors.
    Incremental like the pairs: a run appends its days' sides, themselves in
    actor order, so an actor's rows are one range per run until the next full
    refresh sorts the whole table again. -#}
{{ from_first_run_day_incremental() }}

with contradictions as (
    select * from {{ ref('fct_contradictions') }}
    where {{ from_first_run_day('day') }}
),

claims as (
    select claim_id, published_at, source, speaker_actor_id, speaker_text, content
    from {{ ref('fct_claims') }}
),

actors as (
    select actor_id, name from {{ ref('dim_actors') }}
),

sides as (
    select contradiction_id, day, kind, score, claim_id as own_claim_id, contradicting_claim_id as other_claim_id
    from contradictions
    where claim_actor_id is not null
    union all
    select contradiction_id, day, kind, score, contradicting_claim_id as own_claim_id, claim_id as other_claim_id
    from contradictions
    where contradicting_actor_id is not null
),

final as (
    select
        own.speaker_actor_id as actor_id,
        sides.contradiction_id,
        sides.kind,
        sides.score,
        sides.own_claim_id,
        own.published_at as own_published_at,
        own.source as own_source,
        own.content as own_content,
        sides.other_claim_id,
        other.speaker_actor_id as other_actor_id,
        coalesce(other_actor.name, other.speaker_text) as other_speaker,
        other.published_at as other_published_at,
        other.content as other_content,
        sides.day
    from sides
    inner join claims as own on sides.own_claim_id = own.claim_id
    inner join claims as other on sides.other_claim_id = other.claim_id
    left join actors as other_actor on other.speaker_actor_id = other_actor.actor_id
)

select * from final
order by actor_id, own_published_at desc
