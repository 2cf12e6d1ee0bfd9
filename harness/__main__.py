"""python -m harness run [--no-postgres] [--no-redis] -- CMD...: run CMD with fresh servers, then stop them.

CMD sees DATABASE_URL and REDIS_URL of the servers; its exit status is ours.
"""
import argparse
import subprocess
import sys

from harness.stack import Stack


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness")
    sub = parser.add_subparsers(dest="verb", required=True)
    run = sub.add_parser("run", help="run a command with a throwaway PostgreSQL and Redis")
    run.add_argument("--no-postgres", action="store_true")
    run.add_argument("--no-redis", action="store_true")
    run.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("give a command after --")
    with Stack(postgres=not args.no_postgres, redis=not args.no_redis) as stack:
        print(f"harness: redis {stack.redis_url if stack.redis_port else '-'}, "
              f"postgres {stack.database_url if stack.pg_port else '-'}", flush=True)
        return subprocess.call(cmd, env=stack.env())


if __name__ == "__main__":
    sys.exit(main())
