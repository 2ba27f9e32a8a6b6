"""``hotline`` — one entry point for serving, training, chatting and the knowledge base."""

import json
import logging
import signal
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import httpx

from bot.logs import configure_logging
from bot.settings import get_settings

if TYPE_CHECKING:
    from bot.services import Services

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


@contextmanager
def _services(*, index: bool = True) -> Iterator["Services"]:
    """The app's services for one command, closed after it (``index=False``: no embedding)."""
    from bot.services import Services

    services = Services.build(get_settings(), index=index)
    try:
        yield services
    finally:
        services.close()


@kb.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def kb_import(file: Path) -> None:
    """Upsert FAQs by id from a .csv or .xlsx file (all rows or none)."""
    from knowledge_base.importer import ImportFailed, read_file

    try:
        entries = read_file(file)
    except ImportFailed as exc:
        for error in exc.errors:
            click.echo(f"第{error.row}行: {error.message}", err=True)
        raise click.ClickException(f"导入失败：{len(exc.errors)} 行有错误，未导入任何数据") from exc
    with _services(index=False) as services:
        changed = services.faqs.upsert_many(entries, changed_by="cli")
    click.echo(f"导入 {len(entries)} 条，更新 {changed} 条")


@kb.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def kb_export(file: Path) -> None:
    """Write every FAQ to a .csv or .xlsx file (the import columns)."""
    from knowledge_base.importer import export

    with _services(index=False) as services:
        faqs = services.faqs.all()
    try:
        export(faqs, file)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"导出 {len(faqs)} 条到 {file}")


@kb.command("set")
@click.argument("faq_id")
@click.option("--category", help="Category, e.g. 门票.")
@click.option("--question")
@click.option("--answer")
@click.option("--similar", help="Similar questions separated by |.")
@click.option("--short-answer")
@click.option("--status", type=click.Choice(["draft", "published"]))
def kb_set(faq_id: str, **changes: str | None) -> None:
    """Create or edit one FAQ; running apps pick the change up within seconds."""
    from dataclasses import replace

    from knowledge_base.importer import split_similar
    from knowledge_base.store import FaqInput, FaqStatus

    with _services(index=False) as services:
        current = services.faqs.get(faq_id)
        base = FaqInput.of(current) if current else FaqInput(faq_id, "", "", "")
        given: dict[str, Any] = {
            "category": changes["category"],
            "question": changes["question"],
            "answer": changes["answer"],
            "short_answer": changes["short_answer"],
            "status": FaqStatus(changes["status"]) if changes["status"] else None,
        }
        entry = replace(base, **{name: value for name, value in given.items() if value})
        if changes["similar"] is not None:
            entry = replace(entry, similar_questions=split_similar(changes["similar"]))
        missing = [name for name in ("category", "question", "answer") if not getattr(entry, name)]
        if missing:
            raise click.UsageError(f"新问答需要 --{' --'.join(missing)}")
        changed = services.faqs.upsert_many([entry], changed_by="cli")
        faq = services.faqs.get(faq_id)
    assert faq is not None
    click.echo(f"{faq_id} 第 {faq.version} 版" + ("" if changed else "（内容未变）"))


@kb.command("delete")
@click.argument("faq_id")
def kb_delete(faq_id: str) -> None:
    """Delete one FAQ (its versions go with it)."""
    from knowledge_base.store import FaqNotFound

    with _services(index=False) as services:
        try:
            services.faqs.delete(faq_id, changed_by="cli")
        except FaqNotFound as exc:
            raise click.ClickException(f"没有 id 为 {faq_id} 的问答") from exc
    click.echo(f"已删除 {faq_id}")


@kb.command("rollback")
@click.argument("faq_id")
@click.argument("version", type=int)
def kb_rollback(faq_id: str, version: int) -> None:
    """Make an earlier version current again (as a new version)."""
    from knowledge_base.store import FaqNotFound

    with _services(index=False) as services:
        try:
            faq = services.faqs.rollback(faq_id, version, changed_by="cli")
        except FaqNotFound as exc:
            raise click.ClickException(f"没有 {faq_id} 的第 {version} 版") from exc
    click.echo(f"{faq_id} 已恢复为第 {version} 版的内容（现为第 {faq.version} 版）")


@kb.command("reindex")
def kb_reindex() -> None:
    """Rebuild the saved vector index from the database (after changing the embedding model)."""
    with _services(index=False) as services:
        started = time.perf_counter()
        services.kb.sync()
        services.kb.save()
    click.echo(
        f"{services.kb.size} 条问答已用 {services.kb.model} 重建索引，"
        f"用时 {time.perf_counter() - started:.1f} 秒"
    )


@kb.command("search")
@click.argument("query", required=False)
@click.option("--k", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--batch", type=click.File("r", encoding="utf-8"), help="One query a line.")
def kb_search(query: str | None, k: int, as_json: bool, batch) -> None:
    """Search the knowledge base as the bot would."""
    if (query is None) == (batch is None):
        raise click.UsageError("give either QUERY or --batch FILE")
    queries = [line.strip() for line in batch if line.strip()] if batch else [str(query)]
    started = time.perf_counter()
    with _services() as services:
        for text in queries:
            result = services.kb.search(text, k=k)
            if as_json:
                click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
                continue
            click.echo(f"{text} → {result.decision}")
            for hit in result.hits:
                click.echo(f"  {hit.score:.3f}  {hit.id}  {hit.question}")
    log.debug("%d queries in %.3fs", len(queries), time.perf_counter() - started)


@main.command()
@click.option("--id", "ids", type=int, multiple=True, help="Replay these message ids only.")
@click.option("--since", type=click.DateTime(), help="Only messages received since (UTC).")
@click.option("--dry-run", is_flag=True, help="List what would be replayed, send nothing.")
def replay(ids: tuple[int, ...], since: datetime | None, dry_run: bool) -> None:
    """Send stored messages the engine never answered (failed, degraded, or stuck) through
    the engine again; WeChat and SMS tourists get the new replies pushed."""
    import asyncio

    from bot.conversation import ConversationService
    from bot.engine import EngineClient
    from bot.exceptions import EngineUnavailable
    from channels import sms, wechat

    render = {wechat.CHANNEL: wechat.as_text, sms.CHANNEL: sms.as_text}
    settings = get_settings()

    async def run(services: "Services") -> int:
        engine = EngineClient(
            settings.engine_url, token=settings.engine_token, timeout=settings.engine_timeout
        )
        conversation = ConversationService(
            engine=engine,
            messages=services.messages,
            kb=services.kb,
            questions=services.questions,
            outbox=services.outbox,
        )
        failures = 0
        try:
            for message in services.messages.replayable(since=since, ids=list(ids) or None):
                label = f"#{message.id} {message.sender} ({message.outcome}): {message.text[:40]}"
                if dry_run:
                    click.echo(label)
                    continue
                try:
                    replies = await conversation.replay(message, render.get(message.channel))
                except EngineUnavailable as exc:
                    failures += 1
                    click.echo(f"{label} → 引擎不可用：{exc}", err=True)
                    continue
                pushed = "，已推送" if message.channel in render else ""
                click.echo(f"{label} → {len(replies)} 条答复{pushed}")
        finally:
            await engine.aclose()
        return failures

    with _services(index=False) as services:
        failures = asyncio.run(run(services))
    if failures:
        raise SystemExit(1)


@main.group()
def wechat() -> None:
    """WeChat official account administration."""


@wechat.command("menu")
def wechat_menu() -> None:
    """Create the account's custom menu (常见问题 · 投诉 · 人工服务) through WeChat's API."""
    from wechatpy.exceptions import WeChatClientException

    from channels.wechat import MENU, HotlineWeChatClient, menu_definition

    settings = get_settings()
    if not (settings.wechat_appid and settings.wechat_secret):
        raise click.UsageError("需要先设置 HOTLINE_WECHAT_APPID 和 HOTLINE_WECHAT_SECRET")
    client = HotlineWeChatClient(
        settings.wechat_appid, settings.wechat_secret, settings.wechat_api_url
    )
    try:
        client.menu.create(menu_definition())
    except WeChatClientException as exc:
        raise click.ClickException(f"微信接口拒绝了菜单：{exc.errcode} {exc.errmsg}") from exc
    finally:
        client._http.close()
    click.echo("菜单已创建：" + "、".join(item.name for item in MENU))


if __name__ == "__main__":
    sys.exit(main())


@main.group()
def user() -> None:
    """Console users (admin, agent)."""


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次"))


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "agent"]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def user_add(username: str, role: str, password_stdin: bool) -> None:
    """Create a console user; the password is stored as a scrypt hash."""
    from bot.exceptions import HotlineError

    password = _password(password_stdin)
    with _services(index=False) as services:
        try:
            services.users.add(username, password, role)
        except HotlineError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"已创建{'管理员' if role == 'admin' else '坐席'}账号 {username}")


@user.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
def user_password(username: str, password_stdin: bool) -> None:
    """Set a user's password; their open sessions end."""
    from bot.exceptions import HotlineError

    password = _password(password_stdin)
    with _services(index=False) as services:
        try:
            services.users.set_password(username, password)
        except HotlineError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"已更新 {username} 的密码")
