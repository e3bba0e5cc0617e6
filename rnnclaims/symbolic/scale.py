"""Claims at training sizes: blog eqs. 13 and 11 (θ = W_rec) by the randomized identity test.

The catalogue's ``blog.eq13`` and ``blog.eq11`` are checked exactly at small sizes by their
own modules; these added ids check the same identities at sizes far beyond exact expansion
(default n = 16, T = 32; ``--quick`` n = 8, T = 16), every pair / every t, with the
randomized identity test of :mod:`derive.identity`. Their verdict is ``proved`` with the
error probability (≤ 2^-100) in the method — a different method from exact expansion, and
the method's kind says so.

>>> from rnncore.registry import Options
>>> r = REGISTRY.run("blog.eq13.scale", Options.quick_sizes())
>>> r.verdict.value, r.method.kind.value, r.method.error_log2 <= -100
('proved', 'randomized', True)
"""
from __future__ import annotations

from rnncore.registry import Options
from rnncore.results import Label, MethodKind, Result, Scope, Span, Verdict

from derive.closed_forms import eq13, formB_product
from derive.identity import randomized_check_eq11, randomized_check_jacobian
from derive.network import RNN
from . import REGISTRY
from .engine import methods_of

#: (n, T) of the scale checks: default and --quick.
SCALE_SIZES = {False: (16, 32), True: (8, 16)}


def _size(options: Options) -> tuple[int, int]:
    return SCALE_SIZES[bool(options.quick)]


def _combine(results: list[Result], scope: Scope, evidence: str, options: Options) -> Result:
    """Join the randomized sub-results: the method is randomized with the largest (worst)
    error probability of the parts; without a certificate for each part nothing is proved.
    The method says whether the seed was drawn fresh for this run or replays a given one
    (a replayed seed is public: its error bound holds only if the statement was fixed
    before the seed was chosen, as the catalogue's are)."""
    replay = (f"fresh seed {options.seed} from the operating system" if options.seed_drawn
              else f"replayed from seed {options.seed}")
    method = methods_of(results, "identity test mod primes against forward differentiation of "
                                 f"the unrolled network ({replay})")
    if method.kind is not MethodKind.RANDOMIZED and all(r.holds for r in results):
        return Result(Verdict.UNDECIDED, method, scope,
                      "a part came without its randomized certificate: nothing is claimed",
                      details=tuple(results))
    return Result.combine(results, method=method, scope=scope, evidence=evidence)


@REGISTRY.claim(
    "blog.eq13.scale", source="blog eq. 13", expect=Label.PROVED_RANDOMIZED,
    statement=("eq. 13 (form A) and its form-B analogue hold for every pair 0 <= k < t <= T at"
               " training sizes (n = 16, T = 32; quick: n = 8, T = 16), generic σ"),
)
def check_eq13_scale(options: Options) -> Result:
    """Eq. 13 (form A) and the form-B product, all pairs, by the randomized identity test."""
    n, T = _size(options)
    results = [randomized_check_jacobian(RNN(n, 1, T, "generic", "A"), eq13, seed=options.seed),
               randomized_check_jacobian(RNN(n, 1, T, "generic", "B"), formB_product, seed=options.seed)]
    pairs = T * (T + 1) // 2
    scope = Scope(spans=(Span("n", n, n), Span("m", 1, 1), Span("T", 1, T)), activations=("generic",),
                  forms=("A", "B"), layouts=("numerator",), checked=2 * pairs,
                  note=f"every pair 0 <= k < t <= T ({pairs} per form)")
    return _combine(results, scope,
                    f"forms A and B, all {T * (T + 1) // 2} pairs each, against forward "
                    f"differentiation of the unrolled network", options)


@REGISTRY.claim(
    "blog.eq11.scale", source="blog eq. 11", expect=Label.PROVED_RANDOMIZED,
    statement=("eq. 11 for θ = W_rec holds for every t at training sizes (n = 16, T = 32; "
               "quick: n = 8, T = 16), generic σ, generic loss L and ½‖x_t − y_t‖², with "
               "∂x_t/∂x_k from eq. 13"),
    reading="θ = W_rec (every entry); ∂x_t/∂x_k from eq. 13",
)
def check_eq11_scale(options: Options) -> Result:
    """Eq. 11 for θ = W_rec, every t, both losses, form A, by the randomized identity test."""
    n, T = _size(options)
    rnn = RNN(n, 1, T)
    results = [randomized_check_eq11(rnn, loss=loss, seed=options.seed) for loss in ("generic", "squared")]
    scope = Scope(spans=(Span("n", n, n), Span("m", 1, 1), Span("T", 1, T)), activations=("generic",),
                  forms=("A",), layouts=("numerator",), losses=("generic", "squared"),
                  checked=2 * T, note="θ = W_rec (every entry), every t <= T")
    return _combine(results, scope,
                    f"∂E_t/∂W_rec by forward differentiation = eq. 11 for t = 1..{T}, all {n * n} "
                    f"entries, both losses", options)


__all__ = ["check_eq13_scale", "check_eq11_scale", "SCALE_SIZES"]
