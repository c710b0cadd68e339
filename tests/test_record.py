"""dgm.engine.record: every record assessments() gives, in all three views, has exactly the fields
AssessmentRecord documents, in its order and of its types (so the documentation cannot drift)."""

import types
import typing

import pytest

from dgm.engine import assess, rate_comparison, robustness
from dgm.engine.record import AssessmentRecord, Robustness

VIEWS = {"today": {}, "as_of": {"as_of": "2015-01-20"}, "data_to": {"data_to": 2014}}
VIEW_FIELDS = {"as_of", "data_to", "pseudo_real_time"}  # stamped by assessments() on every record


@pytest.fixture(scope="module")
def every():
    """{view: [Assessment]} for the shipped registry (200 paths: the keys, not the numbers)."""
    return {view: assess.assessments(n_paths=200, **kw) for view, kw in VIEWS.items()}


def _is(value, hint) -> bool:
    """Whether a value is of a type hint (unions, None, list[X], dict[K, V], a TypedDict)."""
    if hint is type(None):
        return value is None
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return any(_is(value, h) for h in typing.get_args(hint))
    if typing.is_typeddict(hint):
        return isinstance(value, dict) and _fits(value, hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        return isinstance(value, list) and all(_is(x, args[0]) for x in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            _is(k, args[0]) and _is(v, args[1]) for k, v in value.items()
        )
    if hint is float:
        return type(value) is float
    if hint is int:
        return type(value) is int
    return isinstance(value, hint)


def _fits(record: dict, typed) -> bool:
    """Keys a subset of the TypedDict's, in its order, the required ones all there, each typed."""
    hints = typing.get_type_hints(typed)
    return (
        list(record) == [k for k in hints if k in record]
        and typed.__required_keys__ <= set(record)
        and all(_is(v, hints[k]) for k, v in record.items())
    )


def test_optional_fields_are_the_rate_method_models_and_the_view():
    assert AssessmentRecord.__optional_keys__ == {"rate_method", "models"} | VIEW_FIELDS
    assert Robustness.__optional_keys__ == frozenset()


@pytest.mark.parametrize("view", VIEWS)
def test_every_record_has_exactly_the_documented_fields(every, view):
    hints = typing.get_type_hints(AssessmentRecord)
    assert len(every[view]) == 21
    for a in every[view]:
        r = a.record
        expected = set(AssessmentRecord.__required_keys__) | VIEW_FIELDS
        if rate_comparison.rates_stage(a.judged)[0] is not None:
            expected.add("rate_method")
        if a.forecast is not None:
            expected.add("models")
        assert set(r) == expected, r["target_id"]
        assert list(r) == [k for k in hints if k in r], r["target_id"]  # the JSON's order
        bad = {k: r[k] for k in r if not _is(r[k], hints[k])}
        assert not bad, (r["target_id"], bad)


@pytest.mark.parametrize("view", VIEWS)
def test_robustness_has_exactly_the_documented_fields(every, view):
    for a in every[view]:
        rob = a.record["robustness"]
        assert list(rob) == list(typing.get_type_hints(Robustness)), a.record["target_id"]
        assert list(rob["baseline"]) == [str(b) for b in robustness.ROBUST_BASELINES]
        assert list(rob["escap_half_life"]) == [f"{h:g}" for h in robustness.ROBUST_HALF_LIVES]
        assert _fits(rob, Robustness)


def test_every_documented_field_occurs(every):
    seen = {k for recs in every.values() for a in recs for k in a.record}
    assert seen == set(typing.get_type_hints(AssessmentRecord))


def test_the_type_check_can_fail():
    assert not _is(2015.0, int) and not _is(True, int) and not _is(None, int | str)
    assert _is(None, str | None) and _is([2014], list[int]) and not _is(["2014"], list[int])
    assert not _fits({"baseline": {}, "fragile": False}, Robustness)  # required keys missing
