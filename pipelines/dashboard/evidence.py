"""Mark a claim's speaker, cue and content inside its source text, as safe HTML.

Offsets are Python character offsets into ``raw.articles.text`` (as stored in
``marts.fct_claims``).  All text is HTML-escaped; only the ``<mark>`` tags this
module writes are markup.
"""

from __future__ import annotations

import html

STYLES = {
    "speaker": "background:#cfe8ff;border-radius:3px;padding:0 2px",
    "cue": "background:#ffe08a;border-radius:3px;padding:0 2px",
    "content": "background:#d6f5d6;border-radius:3px;padding:0 2px",
}


def evidence_window(claim: dict) -> tuple[int, int]:
    """The span to show: the claim's sentence, widened to cover every marked span."""
    text_length = len(claim["article_text"] or "")
    starts = [claim.get(k) for k in ("sentence_start", "speaker_start", "cue_start", "content_start")]
    ends = [claim.get(k) for k in ("sentence_end", "speaker_end", "cue_end", "content_end")]
    start = min((s for s in starts if s is not None), default=0)
    end = max((e for e in ends if e is not None), default=text_length)
    return max(0, start), min(text_length, end)


def highlight(text: str, spans: dict[str, tuple[int | None, int | None]], window: tuple[int, int]) -> str:
    """HTML of ``text[window]`` with each named span wrapped in a styled ``<mark>``.

    Overlapping spans are resolved by the order speaker, cue, content: each
    character gets the first span that covers it.
    """
    start, end = window
    labels: list[str | None] = [None] * (end - start)
    for name in ("speaker", "cue", "content"):
        span_start, span_end = spans.get(name, (None, None))
        if span_start is None or span_end is None:
            continue
        for i in range(max(span_start, start), min(span_end, end)):
            if labels[i - start] is None:
                labels[i - start] = name
    pieces: list[str] = []
    i = 0
    while i < len(labels):
        j = i
        while j < len(labels) and labels[j] == labels[i]:
            j += 1
        chunk = html.escape(text[start + i:start + j])
        name = labels[i]
        pieces.append(chunk if name is None else f'<mark title="{name}" style="{STYLES[name]}">{chunk}</mark>')
        i = j
    return "".join(pieces).replace("\n", "<br>")


def claim_html(claim: dict) -> str:
    """The highlighted source passage of one claim (a row of ``queries.claim_evidence``)."""
    spans = {
        "speaker": (claim.get("speaker_start"), claim.get("speaker_end")),
        "cue": (claim.get("cue_start"), claim.get("cue_end")),
        "content": (claim.get("content_start"), claim.get("content_end")),
    }
    return highlight(claim["article_text"] or "", spans, evidence_window(claim))


LEGEND_HTML = " ".join(f'<mark style="{style}">{name}</mark>' for name, style in STYLES.items())
