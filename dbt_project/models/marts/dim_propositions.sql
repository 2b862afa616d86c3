with claims as (
    select * from {{ ref('int_claims_normalized') }}
    where proposition_id is not null
),

actors as (
    select actor_id, name from {{ ref('stg_actors') }}
),

families as (
    select * from {{ ref('stg_predicate_families') }}
),

topics as (
    select distinct topic_id, topic_label from {{ ref('stg_topics') }}
),

propositions as (
    select distinct proposition_id, proposition_subject_key, predicate_family_id
    from claims
),

-- a disputed claim's proposition is named by what that claim said
disputed_claims as (
    select claim_id, '"' || substr(content, 1, 80) || case when length(content) > 80 then '...' else '' end || '"' as quoted
    from claims
),

final as (
    select
        propositions.proposition_id,
        propositions.predicate_family_id as family_id,
        families.family_label,
        split_part(propositions.proposition_subject_key, ':', 1) as subject_kind,
        case when propositions.proposition_subject_key like 'actor:%' then actors.actor_id end as subject_actor_id,
        case when propositions.proposition_subject_key like 'topic:%' then topics.topic_id end as topic_id,
        coalesce(actors.name, topics.topic_label, disputed_claims.quoted, substr(propositions.proposition_subject_key, 6))
            as subject_label,
        coalesce(actors.name, topics.topic_label, disputed_claims.quoted, substr(propositions.proposition_subject_key, 6))
            || ' / ' || families.family_label as proposition_label
    from propositions
    inner join families on propositions.predicate_family_id = families.family_id
    left join actors on propositions.proposition_subject_key = 'actor:' || actors.actor_id
    left join topics on propositions.proposition_subject_key = 'topic:' || topics.topic_id
    left join disputed_claims on propositions.proposition_subject_key = 'claim:' || disputed_claims.claim_id
)

select * from final
