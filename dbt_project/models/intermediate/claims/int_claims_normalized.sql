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

claim_references as (
    select * from {{ ref('stg_claim_references') }}
),

families as (
    select * from {{ ref('stg_predicate_families') }}
),

topics as (
    select distinct topic_id, family_id, topic_label, alias_normalized from {{ ref('stg_topics') }}
),

article_topics as (
    select * from {{ ref('int_article_topics') }}
    where {{ in_run_days('day') }}
),

-- each content lower-cased once, not once per marker it is compared with
marked as (
    select
        contents.attribution_id,
        min(markers.stance) as marker_stance
    from (select attribution_id, lower(content_text) as content_lower from attributions) as contents
    inner join markers
        on position(markers.marker in contents.content_lower) > 0
    group by contents.attribution_id
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

{#- A denial or doubt whose content only points back ("denied the allegations", "dismissed the claim
    from Berlin as groundless") is about the claim it points at: the latest assertion by another speaker
    in the same or the three sentences before.  When that claim has a proposition the denial takes it;
    otherwise both get one of their own, family disputed_claim, keyed by the earlier claim. -#}
pointing_back as (
    select
        attribution_id,
        article_id,
        sentence_index,
        cue_start,
        coalesce(speaker_root_actor_id, 'text:' || {{ normalize_name('speaker_name') }}) as speaker_key
    from with_proposition
    where
        stance in ('deny', 'doubt')
        and predicate_family_id is null
        and split_part(lower(trim(content_text)), ' ', 1)
            in ('the', 'these', 'those', 'this', 'that', 'such', 'all', 'any', 'his', 'her', 'their', 'its')
        and exists (
            select 1 from claim_references
            where
                (split_part(lower(trim(content_text)), ' ', 2) = claim_references.noun
                    and split_part(lower(trim(content_text)), ' ', 3) in ('', 'from', 'by', 'of', 'against', 'as'))
                or (split_part(lower(trim(content_text)), ' ', 3) = claim_references.noun
                    and split_part(lower(trim(content_text)), ' ', 4) in ('', 'from', 'by', 'of', 'against', 'as'))
        )
),

pointed_at as (
    select
        pointing_back.attribution_id as pointing_id,
        earlier.attribution_id as pointed_at_id,
        case when earlier.proposition_subject_key is not null then earlier.predicate_family_id end
            as predicate_family_id,
        earlier.proposition_subject_key,
        coalesce(earlier.predicate_polarity, 1) as polarity,
        row_number() over (partition by pointing_back.attribution_id order by earlier.cue_start desc) as nearness
    from pointing_back
    inner join with_proposition as earlier
        on pointing_back.article_id = earlier.article_id
        and earlier.sentence_index between pointing_back.sentence_index - 3 and pointing_back.sentence_index
        and earlier.cue_start < pointing_back.cue_start
        and earlier.stance = 'assert'
        and coalesce(earlier.speaker_root_actor_id, 'text:' || {{ normalize_name('earlier.speaker_name') }})
            != pointing_back.speaker_key
    where earlier.attribution_id not in (select attribution_id from pointing_back)
),

disputes as (
    select
        pointing_id as attribution_id,
        coalesce(predicate_family_id, 'disputed_claim') as family_id,
        coalesce(proposition_subject_key, 'claim:' || pointed_at_id) as subject_key,
        polarity
    from pointed_at
    where nearness = 1
    union all
    select distinct
        pointed_at_id as attribution_id,
        'disputed_claim' as family_id,
        'claim:' || pointed_at_id as subject_key,
        1 as polarity
    from pointed_at
    where nearness = 1 and predicate_family_id is null
),

with_disputes as (
    select
        with_proposition.*,
        coalesce(disputes.family_id, with_proposition.predicate_family_id) as family_id,
        coalesce(disputes.subject_key, with_proposition.proposition_subject_key) as subject_key,
        coalesce(disputes.polarity, with_proposition.predicate_polarity, 1) as family_polarity
    from with_proposition
    left join disputes on with_proposition.attribution_id = disputes.attribution_id
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
        family_id as predicate_family_id,
        predicate_term,
        subject_key as proposition_subject_key,
        case
            when subject_key is not null
                then {{ short_id('p_', "subject_key || '|' || family_id") }}
        end as proposition_id,
        family_polarity * case when stance in ('deny', 'doubt') then -1 else 1 end as polarity,
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
            * case when family_id is null then 0.9 else 1.0 end,
            3
        ) as confidence,
        '{{ invocation_id }}' as dbt_invocation_id
    from with_disputes
)

select * from final
