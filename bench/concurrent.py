"""Many people at once: N signed-in sessions driving real app servers over Streamlit's own websocket.

    .venv/bin/python -m bench.concurrent --url postgresql://postgres@127.0.0.1:5432/bench100k --sessions 20
    .venv/bin/python -m bench.concurrent --url ... --sessions 20 --processes 2 --json /tmp/concurrent.json

Starts --processes app servers (`streamlit run app.py`, one port each) on the database of --url, signs
bench.secretariat in --sessions times (one sign-in session per browser session, as --sessions people would),
and gives the sessions to the servers in turn (as a proxy with sticky sessions would). Each session then
views each page of --pages --views times, one view after the other, all sessions at once. A view is a
rerun request as the browser sends it (the page, its query string) until the server says the script
finished; it counts as an error when the run raised, drew the app's error screen, did not name the
Congress and year asked, or took longer than --timeout. Reports the median and p95 view time per page, the
errors, views per second, what a view sends to the browser, and the servers' CPU time and peak memory.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect  # a dependency of Streamlit's own server
from websockets.exceptions import ConnectionClosed

from bench.generate import PASSWORD, SECRETARIAT_USER
from bench.run import COOKIE_KEY, ROOT
from ui.errors import DATABASE_MESSAGE, OTHER_MESSAGE

# page url path -> the query string each view asks for (a Congress and year: the page must name them)
PAGES = {"overview": {"congress": "WCC-2020", "year": "2024"}, "coverage": {"congress": "WCC-2020", "year": "2024"}}
ERROR_SCREENS = (OTHER_MESSAGE, DATABASE_MESSAGE)  # ui/errors.py's plain error screens
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class View:
    page: str
    seconds: float
    sent_bytes: int
    error: str | None = None


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: object = field(repr=False)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
        return 0.0


@contextmanager
def servers(url: str, count: int, first_port: int):
    env = {**os.environ, "DATABASE_URL": url, "RT_COOKIE_KEY": COOKIE_KEY, "RT_LOG_LEVEL": "WARNING"}
    env.pop("RT_DEMO", None)
    started = []
    with ExitStack() as stack:
        for port in range(first_port, first_port + count):
            log = stack.enter_context(open(f"/tmp/bench-concurrent-{port}.log", "w"))
            process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
                 "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            stack.callback(process.wait, 20)
            stack.callback(process.terminate)
            started.append(Server(port, process, log))
        for server in started:
            _wait_healthy(server)
        yield started


def _wait_healthy(server: Server, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"the server on port {server.port} stopped: see /tmp/bench-concurrent-{server.port}.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server on port {server.port} did not answer within {timeout:.0f} s")


def sign_in_tokens(url: str, count: int) -> list[str]:
    """`count` sign-in sessions of the bench Secretariat user, made as the sign-in form makes them."""
    os.environ.update(DATABASE_URL=url, RT_COOKIE_KEY=COOKIE_KEY)
    from db.engine import make_engine, transaction
    from db.settings import load_settings
    from services import sign_in

    settings = load_settings()
    engine = make_engine(url)
    tokens = []
    for _ in range(count):
        with transaction(engine) as s:
            result = sign_in.password_sign_in(session=s, username=SECRETARIAT_USER, password=PASSWORD,
                                              client=None, settings=settings)
        if not isinstance(result, sign_in.SignedIn):
            raise SystemExit(f"{SECRETARIAT_USER} could not sign in: {result}")
        tokens.append(result.token)
    engine.dispose()
    return tokens, settings.cookie_name


def _texts(message: ForwardMsg) -> str:
    element = message.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "markdown":
        return element.markdown.body
    if kind == "heading":
        return element.heading.body
    if kind == "alert":
        return element.alert.body
    if kind == "selectbox":  # the option shown as chosen (a page may name its Congress and year only there)
        box = element.selectbox
        chosen = box.options[box.default] if 0 <= box.default < len(box.options) else ""
        return f"{chosen}\n{box.raw_value}"
    return ""


async def view(connection, page: str, query: dict, timeout: float) -> View:
    back = BackMsg()
    back.rerun_script.query_string = urlencode(query)
    back.rerun_script.page_name = page
    started = time.perf_counter()
    await connection.send(back.SerializeToString())
    sent, texts, error = 0, [], None
    while True:
        remaining = timeout - (time.perf_counter() - started)
        try:
            data = await asyncio.wait_for(connection.recv(), max(remaining, 0.01))
        except TimeoutError:
            return View(page, time.perf_counter() - started, sent, f"no answer within {timeout:.0f} s")
        except ConnectionClosed:
            return View(page, time.perf_counter() - started, sent, "the connection closed")
        sent += len(data)
        message = ForwardMsg()
        message.ParseFromString(data)
        if message.WhichOneof("type") == "delta":
            if message.delta.new_element.WhichOneof("type") == "exception":
                error = error or f"exception: {message.delta.new_element.exception.message[:120]}"
            texts.append(_texts(message))
        elif message.WhichOneof("type") == "script_finished":
            status = message.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # the app ran again at once (a fresh server's first run): the view goes on
            seconds = time.perf_counter() - started
            shown = "\n".join(texts)
            if error is None and any(screen in shown for screen in ERROR_SCREENS):
                error = "the error screen"
            if error is None and not (query["congress"] in shown and query["year"] in shown):
                error = f"the page does not name {query['congress']} and {query['year']}"
            return View(page, seconds, sent, error)


async def one_session(port: int, cookie: str, views: int, timeout: float) -> list[View]:
    done = []
    async with connect(f"ws://127.0.0.1:{port}/_stcore/stream", origin=f"http://127.0.0.1:{port}",
                       subprotocols=["streamlit"], additional_headers={"Cookie": cookie}, max_size=64 * 2**20,
                       proxy=None) as connection:
        for _ in range(views):
            for page, query in PAGES.items():
                done.append(await view(connection, page, query, timeout))
    return done


async def drive(ports: list[int], cookies: list[str], views: int, timeout: float) -> list[View]:
    sessions = [one_session(ports[i % len(ports)], cookie, views, timeout) for i, cookie in enumerate(cookies)]
    results = await asyncio.gather(*sessions, return_exceptions=True)
    views_done = []
    for result in results:
        if isinstance(result, BaseException):
            views_done.append(View("connect", 0.0, 0, f"session failed: {result!r}"[:200]))
        else:
            views_done.extend(result)
    return views_done


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Many sessions at once over the app's websocket.")
    parser.add_argument("--url", required=True, help="a database made by bench.generate")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--views", type=int, default=5, help="views of each page per session")
    parser.add_argument("--processes", type=int, default=1, help="app servers, sessions shared out in turn")
    parser.add_argument("--port", type=int, default=8610, help="the first server's port")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a view counts as failed")
    parser.add_argument("--json", type=Path, help="also write the records to this file")
    args = parser.parse_args(argv)

    tokens, cookie_name = sign_in_tokens(args.url, args.sessions)
    cookies = [f"{cookie_name}={token}" for token in tokens]
    with servers(args.url, args.processes, args.port) as started:
        ports = [s.port for s in started]
        # one warm-up view per server: the first run of a fresh process (imports, engine) is not the
        # concurrency figure; the cold starts are the single-session benchmark's (bench/run.py)
        asyncio.run(drive(ports, cookies[:len(ports)], 1, args.timeout))
        cpu_before, load_before = [s.cpu_seconds() for s in started], os.getloadavg()[0]
        began = time.perf_counter()
        views = asyncio.run(drive(ports, cookies, args.views, args.timeout))
        wall = time.perf_counter() - began
        cpu = sum(s.cpu_seconds() for s in started) - sum(cpu_before)
        peak = max(s.peak_rss_mb() for s in started)
    load = f"{load_before:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"

    records, lines = [], [f"{args.sessions} sessions x {args.views} views of each page on {args.processes} "
                          f"process(es), {len(views)} views in {wall:.1f} s ({len(views) / wall:.2f} views/s); "
                          f"servers' CPU {cpu:.1f} s ({cpu / wall:.0%} of one core), peak RSS {peak:.0f} MB; "
                          f"load {load}", "",
                          "| page | views | median (s) | p95 (s) | max (s) | errors | sent per view (KB) |",
                          "|---|---:|---:|---:|---:|---:|---:|"]
    for page in [*PAGES, "connect"]:
        mine = [v for v in views if v.page == page]
        if not mine:
            continue
        ok = [v.seconds for v in mine if v.error is None]
        errors = [v.error for v in mine if v.error]
        record = {"page": page, "filters": urlencode(PAGES.get(page, {})), "mode": "concurrent",
                  "sessions": args.sessions, "processes": args.processes, "views": len(mine),
                  "seconds": round(statistics.median(ok), 4) if ok else None, "p95": round(p95(ok), 4),
                  "errors": len(errors), "first_errors": sorted(set(errors))[:3],
                  "views_per_second": round(len(views) / wall, 3), "rss_mb": round(peak, 1),
                  "sent_kb_per_view": round(statistics.mean(v.sent_bytes for v in mine) / 1024, 1)}
        records.append(record)
        lines.append(f"| {page} | {len(mine)} | {record['seconds'] or 0:.2f} | {record['p95']:.2f} | "
                     f"{max(ok, default=0):.2f} | {len(errors)} | {record['sent_kb_per_view']:.0f} |")
        if errors:
            lines.append(f"|  | errors: {'; '.join(record['first_errors'])[:200]} | | | | | |")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(records, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
