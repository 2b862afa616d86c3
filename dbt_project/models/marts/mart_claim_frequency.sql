{#- Claims spoken by an actor per day.  A syndicated article counts once as an
    article, and each of its publishers counts as a source.  Incremental by
    day: a run recounts only its days. -#}
{{ day_partitioned_incremental() }}

with claims as (
    select * from {{ ref('int_claims_normalized') }}
    where speaker_actor_id is not null
        and {{ in_run_days('day') }}
),

sightings as (
    select article_id, source from {{ ref('stg_article_sources') }}
    where source is not null
),

final as (
    select
        claims.day,
        claims.speaker_actor_id as actor_id,
        count(distinct claims.claim_id) as n_claims,
        count(distinct claims.article_id) as n_articles,
        count(distinct coalesce(sightings.source, claims.source)) as n_sources
    from claims
    left join sightings on claims.article_id = sightings.article_id
    group by 1, 2
)

select * from final
