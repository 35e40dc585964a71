"""A brand-new, empty database on each backend, for tests that migrate from nothing."""

import pytest

from db.engine import make_engine
from tests.conftest import BACKENDS, _scratch_postgres


@pytest.fixture(params=BACKENDS)
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'empty.db'}", (lambda: None)
    else:
        url, drop = _scratch_postgres()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop()
