"""Database layer: models, engine, migrations, reference and demo data."""
