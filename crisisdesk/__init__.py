"""CrisisDesk: negative reviews become cases that get answered, fixed and followed up."""
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides=None):
    """Build the Flask app: config, extensions, blueprints, CLI, error handlers. No work at import."""
    import os

    # CRISISDESK_INSTANCE_PATH moves the embedded SQLite file, Redis file and dev secret (tests, several copies).
    instance = os.environ.get("CRISISDESK_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(__name__, template_folder=str(ROOT / "templates"), instance_path=instance,
                instance_relative_config=True)
    from crisisdesk.config import load_config

    app.config.update(load_config(app.instance_path, overrides))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from crisisdesk.log import configure_logging

    configure_logging(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _init_extensions(app):
    from crisisdesk import models  # noqa: F401  (every table registered before Alembic looks)
    from crisisdesk.domain.texts import N_
    from crisisdesk.extensions import (babel, csrf, db, disable_postgresql_jit, enable_sqlite_pragmas, login_manager,
                                       migrate)
    from crisisdesk.web import i18n

    enable_sqlite_pragmas()
    disable_postgresql_jit()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone,
                   default_translation_directories=str(ROOT / "translations"))
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please log in to continue.")  # translated when flashed (web/security.py)
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id):
        from crisisdesk.services.users import user_for_session

        return user_for_session(session_id)


def _register_blueprints(app):
    from crisisdesk.web import api, auth, errors, ops, panel, public, security

    app.register_blueprint(ops.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(panel.blueprint)
    app.register_blueprint(public.blueprint)
    app.register_blueprint(api.blueprint, url_prefix="/api/v1")
    errors.init_app(app)
    security.init_app(app)


def _register_cli(app):
    from crisisdesk.cli import register

    register(app)
