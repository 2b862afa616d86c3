"""The extraction-quality evaluation: reading brat gold files, and a scored run over a few PolNeAR articles."""

from __future__ import annotations

import shutil

import pytest

from pipelines.evaluation import load_gold, main
from tests.conftest import SHARED_DIR

POLNEAR_DEV = SHARED_DIR / "eval" / "polnear" / "dev"
needs_polnear = pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason=f"PolNeAR is not here ({POLNEAR_DEV})")


def test_a_span_text_over_two_lines_is_one_record(tmp_path) -> None:
    # A span's text may hold a line break; the next line then starts with the text, here "The", not an id.
    (tmp_path / "attributions").mkdir()
    (tmp_path / "attributions" / "story_annotator.ann").write_text(
        "T1\tSource 0 11\tDobrec said\n"
        "T2\tCue 7 11\tsaid\n"
        "T3\tContent 12 40\tthe ferry was late\n"
        "The rest of the content\n"
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n",
        encoding="utf-8",
    )
    [attribution] = load_gold(tmp_path)["story"]
    assert attribution.cue == [(7, 11)]
    assert attribution.source == [(0, 11)]
    assert attribution.content == [(12, 40)]
    assert attribution.cue_text == "said"


@needs_polnear
def test_the_evaluation_scores_the_extractor_on_gold_articles(tmp_path) -> None:
    gold = tmp_path / "polnear" / "sample"
    (gold / "text").mkdir(parents=True)
    (gold / "attributions").mkdir()
    names = sorted(p.stem for p in (POLNEAR_DEV / "text").glob("*.txt"))[:3]
    for name in names:
        shutil.copy(POLNEAR_DEV / "text" / f"{name}.txt", gold / "text")
        for ann in (POLNEAR_DEV / "attributions").glob(f"{name}_*.ann"):
            shutil.copy(ann, gold / "attributions")
    report = tmp_path / "quality.md"
    assert main([str(gold), str(report), "--scorer", str(SHARED_DIR / "eval" / "score_attributions.py")]) == 0
    text = report.read_text(encoding="utf-8")
    assert "articles=3 " in text
    cue_f1 = float(text.split("cue_f1=")[1].split()[0])
    assert cue_f1 > 0.4  # the rules find most cues of real political news, not a few by chance
    assert not report.with_suffix(".predictions.jsonl").exists()
