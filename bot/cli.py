"""``hotline`` — one entry point for serving, training, chatting and the knowledge base."""

import json
import logging
import signal
import sys
import time
import uuid
from pathlib import Path

import click
import httpx

from bot.logs import configure_logging
from bot.settings import get_settings

log = logging.getLogger("hotline")


@click.group()
def main() -> None:
    """云游热线 tourism service-hotline bot."""
    configure_logging(get_settings().log_level)


@main.command()
@click.option("--force", is_flag=True, help="Train even if the training data did not change.")
def train(force: bool) -> None:
    """Train the engine's model (only when config, domain or nlu_data changed)."""
    from bot.engine_process import train as train_model

    click.echo(train_model(get_settings(), force=force))


@main.command()
@click.option("--engine/--no-engine", default=True, help="Also start the Rasa engine.")
def serve(engine: bool) -> None:
    """Serve engine (:5005) and app (:8000) together; Ctrl-C stops both."""
    import uvicorn

    from bot.app import create_app
    from bot.engine_process import start_engine
    from bot.engine_process import train as train_model

    settings = get_settings()
    process = start_engine(settings, train_model(settings)) if engine else None

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)
    except KeyboardInterrupt:
        pass
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except Exception:  # noqa: BLE001 - a stuck engine is killed
                process.kill()
        log.info("stopped")


@main.command()
@click.option("--sender", default=lambda: f"cli-{uuid.uuid4().hex[:8]}", help="Conversation id.")
@click.option("--url", default=None, help="App URL (default: from the settings).")
def chat(sender: str, url: str | None) -> None:
    """Talk to the running bot in the terminal, through app, engine and actions."""
    settings = get_settings()
    endpoint = f"{url or f'http://{settings.host}:{settings.port}'}/channels/web"
    click.echo("云游热线 — 输入消息，回车发送；输入 /quit 退出。")
    while True:
        try:
            text = input("您: ").strip()
        except EOFError:
            break
        if text in ("/quit", "/exit"):
            break
        if not text:
            continue
        try:
            response = httpx.post(endpoint, json={"sender": sender, "text": text}, timeout=30)
        except httpx.HTTPError as exc:
            raise click.ClickException(
                f"无法连接 {endpoint}（先运行 `hotline serve`）：{exc}"
            ) from exc
        if response.status_code != 200:
            click.echo(f"[{response.status_code}] {response.json().get('error')}")
            continue
        for message in response.json()["messages"]:
            click.echo(f"小云: {message['text']}")
            for i, button in enumerate(message.get("buttons", []), start=1):
                click.echo(f"      ({i}) {button['title']}")


@main.group()
def kb() -> None:
    """Knowledge base: import, export, search, reindex."""


def _services():
    from bot.services import Services

    return Services.build(get_settings())


@kb.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def kb_import(file: Path) -> None:
    """Upsert FAQs by id from a CSV file (all rows or none)."""
    from knowledge_base.importer import ImportFailed, read_csv

    services = _services()
    try:
        entries = read_csv(file)
    except ImportFailed as exc:
        for error in exc.errors:
            click.echo(f"第{error.row}行: {error.message}", err=True)
        raise click.ClickException(f"导入失败：{len(exc.errors)} 行有错误，未导入任何数据") from exc
    changed = services.faqs.upsert_many(entries, changed_by="cli")
    click.echo(f"导入 {len(entries)} 条，更新 {changed} 条")


@kb.command("search")
@click.argument("query", required=False)
@click.option("--k", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--batch", type=click.File("r", encoding="utf-8"), help="One query a line.")
def kb_search(query: str | None, k: int, as_json: bool, batch) -> None:
    """Search the knowledge base as the bot would."""
    if (query is None) == (batch is None):
        raise click.UsageError("give either QUERY or --batch FILE")
    services = _services()
    queries = [line.strip() for line in batch if line.strip()] if batch else [query]
    started = time.perf_counter()
    for text in queries:
        result = services.kb.search(text, k=k)
        if as_json:
            click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
            continue
        click.echo(f"{text} → {result.decision}")
        for hit in result.hits:
            click.echo(f"  {hit.score:.3f}  {hit.id}  {hit.question}")
    log.debug("%d queries in %.3fs", len(queries), time.perf_counter() - started)


if __name__ == "__main__":
    sys.exit(main())
