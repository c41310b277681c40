"""Unit tests for newsdesk.rejects: a reject's reason must be one the rejects table declares."""


def test_a_reject_reason_must_be_declared_in_the_schema():
    import pytest

    from newsdesk.rejects import Reject

    Reject("a.txt", None, None, "empty", "0 bytes")
    with pytest.raises(ValueError, match="not declared"):
        Reject("a.txt", None, None, "gremlins", "?")
