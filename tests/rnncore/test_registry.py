"""Registering claims: one entry (id, statement, check); options validated."""
import pytest

from rnncore.errors import InvalidInputError, SizeBudgetError, UnknownClaimError
from rnncore.registry import Options, Registry
from rnncore.results import Result, Verdict


def _ok(options):
    return Result(Verdict.PROVED, "m", f"n<={options.n}", "e")


def test_catalogue_id_takes_catalogue_statement():
    reg = Registry("t")
    claim = reg.register("blog.eq12", _ok)
    assert claim.source == "blog eq. 12" and "W_rec diag" in claim.statement
    assert reg.run("blog.eq12", Options(n=2)).scope == "n<=2"


def test_added_id_needs_statement_and_inherits_source():
    reg = Registry("t")
    with pytest.raises(InvalidInputError, match="give its statement"):
        reg.register("blog.eq14.submult.corrected", _ok)
    claim = reg.register("blog.eq14.submult.corrected", _ok, statement="non-strict")
    assert claim.source == "blog eq. 14"


def test_duplicate_and_unknown_ids_rejected():
    reg = Registry("t")
    reg.register("blog.eq2", _ok)
    with pytest.raises(InvalidInputError, match="twice"):
        reg.register("blog.eq2", _ok)
    with pytest.raises(UnknownClaimError, match="blog.eq2"):
        reg["blog.eq3"]


def test_check_must_return_result():
    reg = Registry("t")
    reg.register("blog.eq4", lambda o: "proved")
    with pytest.raises(TypeError, match="not Result"):
        reg.run("blog.eq4")


@pytest.mark.parametrize("kw, err", [
    ({"n": 0}, InvalidInputError), ({"T": -1}, InvalidInputError), ({"n": 2.5}, InvalidInputError),
    ({"n": True}, InvalidInputError), ({"n": 9}, SizeBudgetError), ({"T": 13}, SizeBudgetError),
    ({"dps": 14}, InvalidInputError), ({"dps": 10_001}, InvalidInputError),
])
def test_bad_options_name_the_value(kw, err):
    with pytest.raises(err) as info:
        Options(**kw)
    name, value = next(iter(kw.items()))
    assert f"{name}={value!r}" in str(info.value) or f"{name}={value}" in str(info.value)
