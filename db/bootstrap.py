"""Bring a database to a usable state on start: schema, reference data, demo data in demo mode.

`python -m db.bootstrap` does it once for the database of DATABASE_URL (RT_DEMO as for the app): the
deployment's one-shot job before several app processes start (compose.yaml), so they never race to migrate.
"""

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


def main() -> int:
    from db.engine import make_engine
    from db.settings import load_settings
    from db.status import head_revision

    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        prepare_database(engine, demo=settings.demo_mode)
    except ConfigurationError as problem:
        print(f"Refused: {problem}")
        return 1
    finally:
        engine.dispose()
    print(f"The database is ready at schema revision {head_revision()}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
