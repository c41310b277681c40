"""Fixtures of the flow tests: one Prefect test harness (temporary server + database) for the whole session, and
for the tests that run the real `newsdesk` command, one real Prefect server and one local PREFECT_HOME per
module."""
import pytest

from tests.flows.opshelp import PrefectServer


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real Prefect server (flows/server.py) for the module's `newsdesk` runs."""
    with PrefectServer(tmp_path_factory.mktemp("prefect-server")) as srv:
        yield srv


@pytest.fixture(scope="module")
def local_home(tmp_path_factory):
    """One PREFECT_HOME for the runs that start their own server: its database is migrated once."""
    return tmp_path_factory.mktemp("local-prefect-home")
