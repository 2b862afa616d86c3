{#- One row per claim (an attribution that int_attributions_screened keeps),
    normalized:
    - speaker and subject resolved to actors (int_names_resolved_to_actors);
    - stance from the cue lexicon, turned to doubt when the content carries
      a doubt marker ("has not yet been verified");
    - the proposition: a subject plus a predicate family.  For families
      about things (a drug, a vote) the subject is a topic; for families
      about actors it is the subject actor's root, else the speaker's root;
    - polarity on that proposition: the predicate's, flipped by a denial or
      a doubt.
    Incremental by article day: a run rebuilds only its days' claims. -#}
{{ day_partitioned_incremental() }}

with articles as (
    select
        article_id,
        source,
        published_at,
        reported_at,
        article_day,
        cast(published_at as date) as published_on
    from {{ ref('stg_articles') }}
    where {{ in_run_days('article_day') }}
),

attributions as (
    select * from {{ ref('stg_attributions') }}
    where attribution_id in (
        select attribution_id from {{ ref('int_attributions_screened') }}
        where is_claim and {{ in_run_days('day') }}
    )
),

names as (
    select * from {{ ref('int_names_resolved_to_actors') }}
),

actors as (
    select * from {{ ref('int_actors_with_roots') }}
),

cues as (
    select * from {{ ref('stg_cue_lexicon') }}
),

markers as (
    select * from {{ ref('stg_stance_markers') }}
),

families as (
    select * from {{ ref('stg_predicate_families') }}
),

topics as (
    select distinct topic_id, family_id, topic_label, alias_normalized from {{ ref('stg_topics') }}
),

article_topics as (
    select * from {{ ref('int_article_topics') }}
),

marked as (
    select
        attributions.attribution_id,
        min(markers.stance) as marker_stance
    from attributions
    inner join markers
        on position(markers.marker in lower(attributions.content_text)) > 0
    group by attributions.attribution_id
),

resolved as (
    select
        attributions.*,
        articles.source,
        articles.published_at,
        articles.reported_at,
        articles.article_day,
        coalesce(attributions.speaker_resolved_text, attributions.speaker_text) as speaker_name,
        speaker_names.actor_id as speaker_actor_id,
        subject_names.actor_id as subject_actor_id,
        {{ normalize_name('attributions.subject_text') }} as subject_normalized,
        coalesce(
            case when cues.stance in ('assert', 'report') then marked.marker_stance end,
            cues.stance,
            'assert'
        ) as stance
    from attributions
    inner join articles on attributions.article_id = articles.article_id
    left join names as speaker_names
        on {{ name_key('coalesce(attributions.speaker_resolved_text, attributions.speaker_text)') }}
            = speaker_names.name_key
        and articles.published_on is not distinct from speaker_names.published_on
    left join names as subject_names
        on {{ name_key('attributions.subject_text') }} = subject_names.name_key
        and articles.published_on is not distinct from subject_names.published_on
    left join cues on attributions.cue_lemma = cues.cue_lemma
    left join marked on attributions.attribution_id = marked.attribution_id
),

with_subject as (
    select
        resolved.*,
        speaker_actors.root_actor_id as speaker_root_actor_id,
        subject_actors.root_actor_id as subject_root_actor_id,
        families.subject_is_topic,
        coalesce(subject_topics.topic_id, article_topics.topic_id) as topic_id,
        coalesce(subject_topics.topic_label, article_topics.topic_label) as topic_label
    from resolved
    left join actors as speaker_actors on resolved.speaker_actor_id = speaker_actors.actor_id
    left join actors as subject_actors on resolved.subject_actor_id = subject_actors.actor_id
    left join families on resolved.predicate_family_id = families.family_id
    left join topics as subject_topics
        on resolved.subject_normalized = subject_topics.alias_normalized
        and resolved.predicate_family_id = subject_topics.family_id
    left join article_topics
        on resolved.article_id = article_topics.article_id
        and resolved.predicate_family_id = article_topics.family_id
),

with_proposition as (
    select
        with_subject.*,
        case
            when predicate_family_id is null then null
            when subject_is_topic and topic_id is not null then 'topic:' || topic_id
            when subject_root_actor_id is not null then 'actor:' || subject_root_actor_id
            when speaker_root_actor_id is not null then 'actor:' || speaker_root_actor_id
            when subject_normalized is not null and subject_normalized != '' then 'text:' || subject_normalized
        end as proposition_subject_key
    from with_subject
),

final as (
    select
        attribution_id as claim_id,
        article_id,
        article_day as day,
        published_at,
        reported_at,
        source,
        speaker_actor_id,
        speaker_root_actor_id,
        speaker_text,
        speaker_name,
        speaker_kind,
        coalesce(speaker_root_actor_id, 'text:' || {{ normalize_name('speaker_name') }}) as speaker_key,
        lower(cue_text) as cue,
        cue_lemma,
        stance,
        subject_actor_id,
        subject_text,
        topic_id,
        predicate_family_id,
        predicate_term,
        proposition_subject_key,
        case
            when proposition_subject_key is not null
                then {{ short_id('p_', "proposition_subject_key || '|' || predicate_family_id") }}
        end as proposition_id,
        coalesce(predicate_polarity, 1) * case when stance in ('deny', 'doubt') then -1 else 1 end as polarity,
        content_text as content,
        content_start,
        content_end,
        cue_start,
        cue_end,
        speaker_start,
        speaker_end,
        sentence_index,
        is_direct,
        is_multi_sentence,
        extraction_rule,
        extractor_version,
        round(
            extraction_confidence
            * case when speaker_actor_id is null then 0.8 else 1.0 end
            * case when predicate_family_id is null then 0.9 else 1.0 end,
            3
        ) as confidence,
        '{{ invocation_id }}' as dbt_invocation_id
    from with_proposition
)

select * from final
