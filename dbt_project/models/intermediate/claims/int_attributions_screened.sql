{#- One row per attribution of the run's days, screened for whether it is a
    claim: someone stating something that can be true or false.  The
    extractor finds every attribution (PolNeAR's sense, thoughts and wishes
    included); only claims go on to int_claims_normalized.  The rest stay
    here with the reason, so an analyst can audit the screen:
    - no_speaker: nobody is named as saying it ("reportedly", agentless passives);
    - cue_makes_no_claim: the cue reports a wish, plan, question, refusal or
      act, not a statement (`makes_claim = false` in the cue_lexicon seed);
    - question: the sentence asks rather than states (an interviewer's line,
      a rhetorical question);
    - speaker_unknown: the speaker is a pronoun whose antecedent names no
      actor ("I" in an interview answer, "they" pointed at a place): the
      claim would have no "who";
    - negated_cue: the cue is negated ("did not say", "I don't think",
      "for not denouncing"): nobody states the content as written;
    - no_content: the content is a lone pronoun ("I didn't say it", "will
      tell us", "told her everything") or opens with "which" (a relative
      clause whose subject is outside it): no proposition is stated;
    - wish_content: the content is a wish, plan, stance or courtesy named by
      a noun of the wish_objects seed near its start and followed by "to",
      "in", "for" or "that" ("expressed a desire to work with X", "announced
      its intention to run", "expressed support for the bill"), or the
      speaker's own wish: I/we and a verb that makes no claim ("I want you
      to ...", "we wanted to find out ...").
    The first reason that applies is given.  Incremental by article day. -#}
{{ day_partitioned_incremental() }}

with articles as (
    select
        article_id,
        article_day,
        cast(published_at as date) as published_on
    from {{ ref('stg_articles') }}
    where {{ in_run_days('article_day') }}
),

attributions as (
    select * from {{ ref('stg_attributions') }}
    where article_id in (select article_id from articles)
),

sentences as (
    select
        article_id,
        sentence_index,
        start_char,
        trim(sentence_text) as sentence_text
    from {{ ref('stg_sentences') }}
    where article_id in (select article_id from articles)
),

cues as (
    select * from {{ ref('stg_cue_lexicon') }}
),

names as (
    select * from {{ ref('int_names_resolved_to_actors') }}
),

wish_objects as (
    select lower(noun) as noun from {{ ref('wish_objects') }}
),

-- each content lower-cased once, padded with spaces for whole-word searches: the wish tests below compare it
-- with every noun and follower and every cue (done per pair, it was half of this model's CPU time)
contents as (
    select
        attribution_id,
        lower(content_text) as content_lower,
        concat(' ', lower(content_text), ' ') as padded_content
    from attributions
),

wish_patterns as (
    select concat(' ', wish_objects.noun, ' ', followers.word, ' ') as pattern
    from wish_objects
    cross join (
        select 'to' as word union all select 'in' union all select 'for' union all select 'that'
    ) as followers
),

-- an object naming a wish: the content opens with the noun, alone or after a determiner and perhaps an
-- intensifier ("a desire to", "its full support for"), and to/in/for/that follows it; "its leaders hope to
-- win" is a clause.  A pattern starting within the first 30 characters ends within 29 + its length: the
-- search reads no further.
wish_matches as (
    select
        contents.attribution_id,
        contents.content_lower,
        {{ dbt.position("wish_patterns.pattern",
                        "left(contents.padded_content, 29 + length(wish_patterns.pattern))") }} as pattern_position
    from contents
    cross join wish_patterns
),

wish_positions as (
    select
        attribution_id,
        trim(substring(content_lower, 1, pattern_position - 1)) as prefix
    from wish_matches
    where pattern_position between 1 and 30
),

wish_contents as (
    select distinct wish_positions.attribution_id
    from wish_positions
    left join (
        select 'a' as word union all select 'an' union all select 'the' union all select 'his'
        union all select 'her' union all select 'their' union all select 'its' union all select 'our'
        union all select 'my' union all select 'your' union all select 'some' union all select 'no'
    ) as determiners on wish_positions.prefix = determiners.word
        or wish_positions.prefix like concat(determiners.word, ' own')
        or wish_positions.prefix like concat(determiners.word, ' strong')
        or wish_positions.prefix like concat(determiners.word, ' full')
        or wish_positions.prefix like concat(determiners.word, ' deep')
        or wish_positions.prefix like concat(determiners.word, ' clear')
        or wish_positions.prefix like concat(determiners.word, ' firm')
        or wish_positions.prefix like concat(determiners.word, ' continued')
    where wish_positions.prefix = '' or determiners.word is not null

    union

    -- the speaker's own wish, quoted or reported: "I want you to ...", "we wanted to find out ...", opening
    -- with I/we and a verb of the cue lexicon that makes no claim and reports (want, hope, plan, seek...)
    select contents.attribution_id
    from contents
    inner join cues
        on cues.makes_claim = false and cues.cue_type = 'verb' and cues.stance = 'report'
        and cues.cue_lemma not like '% %'
    cross join (select 'i' as pronoun union all select 'we') as first_person
    where (contents.content_lower like 'i %' or contents.content_lower like 'we %')
        and (contents.content_lower like concat(first_person.pronoun, ' ', cues.cue_lemma, ' %')
            or contents.content_lower like concat(first_person.pronoun, ' ', cues.cue_lemma, 'd %')
            or contents.content_lower like concat(first_person.pronoun, ' ', cues.cue_lemma, 'ed %'))
),

screened as (
    select
        attributions.attribution_id,
        attributions.article_id,
        articles.article_day as day,
        attributions.speaker_kind,
        attributions.cue_lemma,
        case
            when attributions.speaker_kind = 'missing'
                or coalesce(trim(attributions.speaker_text), '') = '' then 'no_speaker'
            when cues.makes_claim = false then 'cue_makes_no_claim'
            -- a closing quotation mark may follow the question mark
            when sentences.sentence_text like '%?'
                or sentences.sentence_text like '%?"'
                or sentences.sentence_text like '%?”'
                or sentences.sentence_text like '%?’'
                or sentences.sentence_text like concat('%?', chr(39)) then 'question'
            when attributions.speaker_kind = 'pronoun' and speaker_names.actor_id is null then 'speaker_unknown'
            -- the word before the cue, in the cue's own sentence: "not", "never", "-n't"
            when lower(substring(sentences.sentence_text, 1, attributions.cue_start - sentences.start_char))
                    like '% not '
                or lower(substring(sentences.sentence_text, 1, attributions.cue_start - sentences.start_char))
                    like '% never '
                or substring(sentences.sentence_text, 1, attributions.cue_start - sentences.start_char)
                    like concat('%n', chr(39), 't ')
                or substring(sentences.sentence_text, 1, attributions.cue_start - sentences.start_char)
                    like '%n’t ' then 'negated_cue'
            when lower(trim(attributions.content_text)) in (
                'it', 'this', 'that', 'what', 'us', 'them', 'him', 'her', 'me', 'you',
                'everything', 'something', 'anything', 'nothing'
            )
                -- "which his wife said was due to ...": the clause's subject stands outside the content
                or lower(attributions.content_text) like 'which %' then 'no_content'
            when wish_contents.attribution_id is not null then 'wish_content'
        end as not_a_claim_reason
    from attributions
    inner join articles on attributions.article_id = articles.article_id
    left join cues on attributions.cue_lemma = cues.cue_lemma
    left join wish_contents on attributions.attribution_id = wish_contents.attribution_id
    left join sentences
        on attributions.article_id = sentences.article_id
        and attributions.sentence_index = sentences.sentence_index
    -- the same join as int_claims_normalized's speaker resolution
    left join names as speaker_names
        on {{ name_key('coalesce(attributions.speaker_resolved_text, attributions.speaker_text)') }}
            = speaker_names.name_key
        and articles.published_on is not distinct from speaker_names.published_on
),

final as (
    select
        attribution_id,
        article_id,
        day,
        speaker_kind,
        cue_lemma,
        not_a_claim_reason is null as is_claim,
        not_a_claim_reason
    from screened
)

select * from final
