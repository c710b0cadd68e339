"""docs/gallery's verdict charts are not stale: their committed input table equals today's."""

import json

from dgm import paths
from dgm.engine.assess import assess_all
from dgm.present.readings import headline
from dgm.run import gallery


def test_inputs_round_and_flag_fragile():
    rec = {
        "target_id": "x",
        "status": "deterioration",
        "basis": "projected",
        "latest_year": 2022,
        "latest_value": 46.0000001,
        "latest_kind": "exact",
        "required_rate": 0.022412345,
        "observed_rate": None,
        "p_attain": 0.0219,
        "robustness": {"fragile": True},
    }
    (row,) = gallery.inputs([rec])
    assert row["required_rate"] == 0.0224 and row["p_attain"] == 0.02
    assert row["observed_rate"] is None and row["fragile"] is True


def test_committed_gallery_matches_the_current_verdicts():
    committed = json.loads((gallery.GALLERY / gallery.INPUTS).read_text(encoding="utf-8"))
    now = gallery.inputs(assess_all(n_paths=gallery.N_PATHS, seed=gallery.SEED))
    stale = [c["target_id"] for c, n in zip(committed, now, strict=False) if c != n]
    assert len(committed) == len(now) and not stale, (
        f"docs/gallery is stale for {stale}: run `python -m dgm.run.gallery` and commit the result"
    )


def test_readme_headline_counts_match_the_current_verdicts():
    # statuses do not depend on the simulation, so few paths suffice
    text = " ".join((paths.ROOT / "README.md").read_text(encoding="utf-8").split())
    now = headline(assess_all(n_paths=200), "en")
    assert f"Today (`dgm assess`, all figures): {now}" in text, (
        f"README's headline counts are stale; today: {now}"
    )
