"""A several-process Ecomsearch on this machine: `python deploy/cluster.py start|stop|status`.

Starts, under one directory and on private ports: a PostgreSQL primary and a streaming replica
(`pg_basebackup -R`), a Redis, two SAQ workers, two API processes (`ecomsearch serve`) and an
nginx in front of them (its own config and prefix, not the system service), then seeds a small
demo shop. `stop` ends exactly what `start` recorded in `<dir>/cluster.json`. See docs/cluster.md.
"""

import argparse
import concurrent.futures
import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = "cluster.json"
NAMES = ("primary", "replica", "redis", "api1", "api2", "nginx", "worker1", "worker2")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_ports(names: list[str]) -> dict[str, int]:
    """Ports nobody listens on (as tests/e2e/private_servers.py picks them), all different."""
    chosen: dict[str, int] = {}
    while len(chosen) < len(names):
        port = free_port()
        if port not in chosen.values():
            chosen[names[len(chosen)]] = port
    return chosen


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("PostgreSQL's server binaries are missing (apt-get install postgresql)")
    return Path(found[-1]).parent


def wait_for_port(port: int, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} does not listen on port {port}")


def wait_for_http(url: str, seconds: float) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as answer:
            if answer.status == 200:
                return
        time.sleep(0.1)
    raise TimeoutError(f"{url} is not ready")


class Cluster:
    def __init__(self, directory: Path) -> None:
        self.dir = directory.resolve()
        self.logs = self.dir / "logs"
        self.state_file = self.dir / STATE
        self.as_root = os.geteuid() == 0
        self.pg = postgres_bin()
        self._since = time.monotonic()

    # PostgreSQL refuses to run as root: its commands then run as the `postgres` user.
    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.pg / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
        return done

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> int:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (kept by the child)
        process = subprocess.Popen(
            command, env=env, cwd=self.dir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return process.pid

    def env(self, ports: dict[str, int]) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"postgresql://postgres@127.0.0.1:{ports['primary']}/shop",
            DATABASE_READ_URL=f"postgresql://postgres@127.0.0.1:{ports['replica']}/shop",
            REDIS_URL=f"redis://127.0.0.1:{ports['redis']}/0",
            MAIL_OUTBOX_DIR=str(self.dir / "outbox"),
            PUBLIC_BASE_URL=f"http://127.0.0.1:{ports['nginx']}",
            TRUST_FORWARDED_FOR="true",  # behind nginx: the client is the last X-Forwarded-For hop
            MODEL_REFRESH_SECONDS=env.get("MODEL_REFRESH_SECONDS", "5"),
            BCRYPT_ROUNDS=env.get("BCRYPT_ROUNDS", "6"),
            PYTHONPATH=str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", ""),
        )
        return env

    def ecomsearch(self) -> list[str]:
        return [sys.executable, "-m", "entrypoints.cli.main"]

    def start(self, products: int, shoppers: int, sessions: int, days: int) -> dict[str, object]:
        if self.state_file.exists():
            sys.exit(f"a cluster is recorded in {self.state_file}: stop it first")
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            self.dir.chmod(0o755)  # the `postgres` user must reach its data directories inside
        self.logs.mkdir(exist_ok=True)
        ports = free_ports([*NAMES, "worker1_metrics", "worker2_metrics"])
        state: dict[str, object] = {"dir": str(self.dir), "ports": ports, "pids": {}, "postgres": []}
        try:
            self._start(state, ports, products, shoppers, sessions, days)
        except BaseException:
            self._save(state)
            self.stop()
            raise
        self._save(state)
        return state

    def _save(self, state: dict[str, object]) -> None:
        self.state_file.write_text(json.dumps(state, indent=2))

    def _start(
        self,
        state: dict[str, object],
        ports: dict[str, int],
        products: int,
        shoppers: int,
        sessions: int,
        days: int,
    ) -> None:
        pids: dict[str, int] = state["pids"]  # type: ignore[assignment]
        postgres: list[str] = state["postgres"]  # type: ignore[assignment]
        pgdir = self.dir / "pg"
        pgdir.mkdir(exist_ok=True)
        if self.as_root:
            shutil.chown(pgdir, "postgres", "postgres")
        primary, replica = pgdir / "primary", pgdir / "replica"
        self._pg("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        # The default pg_hba.conf of `--auth=trust` already lets local replication connections in.
        options = f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={pgdir} -c fsync=off"
        self._pg("pg_ctl", "-D", str(primary), "-l", str(pgdir / "primary.log"), "-w",
                 "-o", f"-p {ports['primary']} {options}", "start")  # fmt: skip
        postgres.append(str(primary))
        self._took("primary")
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(ports["primary"]), "-U", "postgres", "shop")
        pids["redis"] = self._spawn(
            "redis",
            [shutil.which("redis-server") or "redis-server", "--port", str(ports["redis"]), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            dict(os.environ),
        )  # fmt: skip
        wait_for_port(ports["redis"], 10, "redis")

        # The replica is copied while the shop is seeded: a replication slot keeps the WAL it has
        # not streamed yet, and `-R` writes its primary_conninfo and slot name.
        backup = concurrent.futures.ThreadPoolExecutor(1).submit(
            self._pg, "pg_basebackup", "-h", "127.0.0.1", "-p", str(ports["primary"]), "-U", "postgres",
            "-D", str(replica), "-R", "-X", "stream", "-c", "fast", "-C", "-S", "replica", "--no-sync",
        )  # fmt: skip
        env = self.env(ports)
        batch = {name: value for name, value in env.items() if name != "DATABASE_READ_URL"}
        for step in (["db", "upgrade"],
                     ["demo", "seed", "--products", str(products), "--shoppers", str(shoppers),
                      "--sessions", str(sessions), "--days", str(days)]):  # fmt: skip
            with open(self.logs / "seed.log", "ab") as log:
                subprocess.run([*self.ecomsearch(), *step], env=batch, cwd=self.dir, stdout=log,
                               stderr=subprocess.STDOUT, check=True, timeout=600)  # fmt: skip
            self._took(" ".join(step[:2]))
        backup.result()
        self._pg("pg_ctl", "-D", str(replica), "-l", str(pgdir / "replica.log"), "-w",
                 "-o", f"-p {ports['replica']} {options}", "start")  # fmt: skip
        postgres.append(str(replica))
        self._took("replica")

        for worker in ("worker1", "worker2"):
            worker_env = {**env, "WORKER_METRICS_PORT": str(ports[f"{worker}_metrics"])}
            pids[worker] = self._spawn(worker, [*self.ecomsearch(), "worker"], worker_env)
        for api in ("api1", "api2"):
            pids[api] = self._spawn(api, [*self.ecomsearch(), "serve", "--port", str(ports[api])], env)
        for api in ("api1", "api2"):
            wait_for_http(f"http://127.0.0.1:{ports[api]}/ready", 60)
        self._took("api processes and workers")

        prefix = self.dir / "nginx"
        (prefix / "logs").mkdir(parents=True, exist_ok=True)
        template = (ROOT / "deploy" / "nginx.conf").read_text()
        config = template.format(
            port=ports["nginx"], api1=ports["api1"], api2=ports["api2"], prefix=prefix,
            # As root the workers would drop to `nobody`, who cannot write the temp dirs here.
            user_line="user root;\n" if self.as_root else "",
        )  # fmt: skip
        (prefix / "nginx.conf").write_text(config)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        pids["nginx"] = self._spawn(
            "nginx", [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"], env
        )
        wait_for_http(f"http://127.0.0.1:{ports['nginx']}/ready", 30)
        self._took("nginx")

    def _took(self, step: str) -> None:
        now = time.monotonic()
        print(f"{step}: {now - self._since:.1f} s", flush=True)
        self._since = now

    def stop(self) -> None:
        if not self.state_file.exists():
            print(f"no cluster recorded in {self.state_file}")
            return
        state = json.loads(self.state_file.read_text())
        # Front to back: nginx, the API processes, the workers, Redis, then the databases.
        for name in ("nginx", "api1", "api2", "worker1", "worker2", "redis"):
            pid = state["pids"].get(name)
            if pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + 40
        for name in ("nginx", "api1", "api2", "worker1", "worker2", "redis"):
            pid = state["pids"].get(name)
            while pid is not None and _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if pid is not None and _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
        for data in reversed(state["postgres"]):
            if Path(data, "postmaster.pid").exists():
                self._pg("pg_ctl", "-D", data, "-m", "fast", "-w", "stop", check=False)
        self.state_file.unlink()


def _alive(pid: int) -> bool:
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie that is not our child (started by an earlier `start`) still answers kill(0).
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("start", "stop", "status"))
    parser.add_argument("--dir", default=os.environ.get("CLUSTER_DIR", "/tmp/ecomsearch-cluster"))
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--shoppers", type=int, default=30)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--remove", action="store_true", help="stop: delete the directory too")
    args = parser.parse_args()
    cluster = Cluster(Path(args.dir))
    if args.command == "start":
        state = cluster.start(args.products, args.shoppers, args.sessions, args.days)
        ports = state["ports"]
        print(
            f"shop: http://127.0.0.1:{ports['nginx']}/  (API processes on {ports['api1']} and {ports['api2']})"
        )  # type: ignore[index]
        print(f"state and logs: {cluster.dir}; stop with: make cluster-stop")
    elif args.command == "stop":
        cluster.stop()
        if args.remove:
            shutil.rmtree(cluster.dir, ignore_errors=True)
    else:
        print(cluster.state_file.read_text() if cluster.state_file.exists() else "not running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
