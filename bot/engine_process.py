"""Training the engine when its inputs change, and running it as a child process."""

import hashlib
import logging
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bot.settings import PROJECT_DIR, Settings

log = logging.getLogger(__name__)
TRAINING_INPUTS = ("config.yml", "domain.yml", "nlu_data")


def training_hash(root: Path = PROJECT_DIR) -> str:
    """Content hash of everything the model is trained from."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def model_path(settings: Settings) -> Path:
    return settings.models_dir / f"hotline-{training_hash()}.tar.gz"


def engine_env() -> dict[str, str]:
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONWARNINGS": "ignore",
    }


def train(settings: Settings, *, force: bool = False) -> Path:
    """Train only when config, domain or training data changed since the last model."""
    target = model_path(settings)
    if target.exists() and not force:
        log.info("model %s is up to date", target.name)
        return target
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(settings.rasa_bin),
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        "nlu_data",
        "--out",
        str(settings.models_dir),
        "--fixed-model-name",
        target.name.removesuffix(".tar.gz"),
    ]
    log.info("training %s", target.name)
    subprocess.run(command, cwd=PROJECT_DIR, env=engine_env(), check=True)
    return target


def endpoints_config(settings: Settings) -> dict[str, object]:
    action: dict[str, str] = {"url": settings.action_url}
    if settings.engine_token:  # the engine proves itself to the app's /webhook with it
        action["token"] = settings.engine_token
    config: dict[str, object] = {"action_endpoint": action}
    url = urlsplit(settings.sqlalchemy_url)
    if url.scheme.startswith("postgresql"):
        config["tracker_store"] = {
            "type": "SQL",
            "dialect": "postgresql",
            "url": url.hostname or "localhost",
            "port": url.port or 5432,
            "db": url.path.lstrip("/"),
            "username": url.username or "",
            "password": url.password or "",
        }
    else:
        config["tracker_store"] = {
            "type": "SQL",
            "dialect": "sqlite",
            "db": str(settings.data_dir / "tracker.db"),
        }
    if settings.redis_url:
        redis = urlsplit(settings.redis_url)
        config["lock_store"] = {
            "type": "redis",
            "url": redis.hostname or "localhost",
            "port": redis.port or 6379,
            "db": int(redis.path.lstrip("/") or 0),
            "password": redis.password,
            "key_prefix": "hotline",
        }
    return config


def write_endpoints(settings: Settings) -> Path:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints_config(settings), allow_unicode=True))
    return path


def engine_command(settings: Settings, model: Path, endpoints: Path) -> list[str]:
    url = urlsplit(settings.engine_url)
    command = [
        str(settings.rasa_bin),
        "run",
        "--enable-api",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(PROJECT_DIR / "credentials.yml"),
        "--interface",
        url.hostname or "127.0.0.1",
        "--port",
        str(settings.engine_port),
    ]
    if settings.engine_token:
        command += ["--auth-token", settings.engine_token]
    return command


def start_engine(settings: Settings, model: Path) -> subprocess.Popen[bytes]:
    command = engine_command(settings, model, write_endpoints(settings))
    log.info("starting engine on %s", settings.engine_url)
    return subprocess.Popen(command, cwd=PROJECT_DIR, env=engine_env())
