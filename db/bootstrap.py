"""Bring a database to a usable state on start: schema, reference data, demo data in demo mode."""

from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.demo import has_demo_accounts, load_demo_data
from db.migrate import upgrade
from db.reference_data import load_reference_data
from db.settings import ConfigurationError


def prepare_database(engine: Engine, *, demo: bool) -> None:
    upgrade(engine)
    load_reference_data(engine)
    if demo:
        load_demo_data(engine)
        return
    with Session(engine) as session:
        if has_demo_accounts(session):
            raise ConfigurationError(
                "This database holds the demo data set and its demo accounts, which exist only in demo "
                "mode. Point DATABASE_URL at a fresh database, or set RT_DEMO=1."
            )
