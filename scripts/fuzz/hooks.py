"""The project's own Schemathesis extensions, loaded by scripts/fuzz-api.sh
through SCHEMATHESIS_HOOKS.

- The string format `gb32100-credit-code` (the registry's institutions): valid
  unified social credit codes, check characters computed as the registry's
  CreditCode does, so that schema-valid registrations are valid.
- The check `refused_only_for_state`: a request the document admits may be
  refused with 422 only for the fields its operation lists in `x-state-checks`
  (a referenced unit or person that does not exist, an Idempotency-Key used
  before); a body member listed there covers the fields inside it. schemathesis.toml lets 422 through `positive_data_acceptance`;
  this check holds every other field of such a 422 to the document.
- The failure filter (`filter_failure`): Schemathesis's
  coverage phase can label a case "positive" because the part it varies (a
  header at a length boundary) is valid while another part of the same case
  was generated negative (a body of `0` where the document asks for an
  object). Refusing that request is right; only `positive_data_acceptance`
  (ST202) on such a case is dropped, every other check still applies.
"""

import json

from hypothesis import strategies as st

import schemathesis

# ---------------------------------------------------------------- credit codes

# GB 32100-2015 code set, in value order (Services/Registry/Domain/CreditCode.swift).
CODE_SET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def _organisation_value(character: str) -> int:
    return int(character) if character.isdigit() else ord(character) - ord("A") + 10


def _organisation_check(body: str) -> str:
    remainder = 11 - sum(_organisation_value(c) * w for c, w in zip(body, ORGANISATION_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def _credit_code(prefix: str, division: str, body: str) -> str:
    first17 = prefix + division + body + _organisation_check(body)
    total = sum(CODE_SET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return first17 + CODE_SET[(31 - total % 31) % 31]


# An organisation code's body is digits and upper-case letters; its check
# character (X or a digit) must also be in the code set, which it always is.
_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"

credit_codes = st.builds(
    _credit_code,
    st.text(alphabet=CODE_SET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=_BODY, min_size=8, max_size=8),
)

schemathesis.openapi.format("gb32100-credit-code", credit_codes)

# ---------------------------------------------------------------- 422 only for x-state-checks


def _refused_fields(response) -> list[str] | None:
    """The fields a 422 problem names, or None when it names none."""
    try:
        problem = json.loads(response.content)
    except ValueError:
        return None
    if not isinstance(problem, dict):
        return None
    fields = [error.get("field") for error in problem.get("errors") or [] if isinstance(error, dict)]
    if not fields and problem.get("field"):
        fields = [problem["field"]]
    return [field for field in fields if isinstance(field, str)] or None


def _covered(field: str, allowed: set[str]) -> bool:
    """A state check on a body member covers what lies inside it (`data` covers `data.occurredAt`)."""
    return any(field == name or field.startswith(name + ".") or field.startswith(name + "[") for name in allowed)


@schemathesis.check
def refused_only_for_state(ctx, response, case):
    meta = case.meta
    if response.status_code != 422 or meta is None or not meta.generation.mode.is_positive:
        return None
    allowed = set((case.operation.definition.raw.get("x-state-checks") or {}).keys())
    fields = _refused_fields(response)
    if fields is None:
        raise AssertionError("A schema-valid request was refused with 422 naming no field")
    others = sorted(field for field in set(fields) if not _covered(field, allowed))
    if others:
        listed = ", ".join(sorted(allowed)) or "none"
        raise AssertionError(
            f"A schema-valid request was refused with 422 for {', '.join(others)}; "
            f"only the operation's x-state-checks ({listed}) may refuse it"
        )
    return None


# ------------------------------------------------ mislabelled positive cases


@schemathesis.hook
def filter_failure(ctx, failure, case, response) -> bool:
    """Keep every failure except ST202 on a case one of whose parts was generated negative."""
    if getattr(failure, "code", None) != "ST202" or case.meta is None:
        return True
    modes = [component.mode.value for component in case.meta.components.values()]
    return "negative" not in modes
