"""Declaring claims: one declaration (id, source, statement, reading, expected verdict, check);
options validated."""
import pytest

from rnncore.errors import InvalidInputError, SizeBudgetError, UnknownClaimError
from rnncore.registry import Options, Registry
from rnncore.results import Method, MethodKind, Result, Scope, Span, Verdict


def _ok(options):
    return Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(spans=(Span("n", 1, options.n),)), "e")


DECL = dict(source="blog eq. 12", statement="J = W D", expect=Verdict.PROVED)


def test_declaration_is_kept_whole():
    reg = Registry("t")
    claim = reg.register("blog.eq12", _ok, reading="numerator layout", **DECL)
    assert (claim.source, claim.statement, claim.reading, claim.expect, claim.layer) == (
        "blog eq. 12", "J = W D", "numerator layout", Verdict.PROVED, "t")
    assert reg.run("blog.eq12", Options(n=2)).scope.span("n").hi == 2


@pytest.mark.parametrize("field, value, match", [
    ("source", "", "needs a source"), ("statement", " ", "needs a statement"),
    ("expect", "proved", "expect must be a Verdict"),
])
def test_incomplete_declaration_rejected(field, value, match):
    with pytest.raises(InvalidInputError, match=match):
        Registry("t").register("blog.eq12", _ok, **{**DECL, field: value})


def test_decorator_declares_and_returns_the_check():
    reg = Registry("t")
    check = reg.claim("x.y", **DECL)(_ok)
    assert check is _ok and reg["x.y"].check is _ok and reg.ids() == ["x.y"]


def test_duplicate_and_unknown_ids_rejected():
    reg = Registry("t")
    reg.register("blog.eq2", _ok, **DECL)
    with pytest.raises(InvalidInputError, match="twice"):
        reg.register("blog.eq2", _ok, **DECL)
    with pytest.raises(UnknownClaimError, match="blog.eq2"):
        reg["blog.eq3"]


def test_check_must_return_result():
    reg = Registry("t")
    reg.register("blog.eq4", lambda o: "proved", **DECL)
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
