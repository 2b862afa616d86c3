with source as (
    select * from {{ ref('cue_lexicon') }}
),

renamed as (
    select
        lower(cue) as cue_lemma,
        cue_type,
        stance,
        makes_claim
    from source
)

select * from renamed
