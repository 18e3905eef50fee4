"""The shopping list as a remote skill, in its own process:

    python examples/shopping_list/remote.py --port 50070

then tell the assistant where it is (docs/skills.md, "Remote skills")::

    skills:
      remote:
        - {name: acme.shopping, address: "127.0.0.1:50070"}
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from skill import create  # skill.py beside this file (python puts this file's folder on the path)

from skills.sdk import serve_remote


async def serve(port: int, host: str) -> None:
    server = await serve_remote(create(), port, host)
    print(f"acme.shopping serving on {server.address}", flush=True)  # the line a launcher waits for
    await server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="serve the shopping list skill over gRPC (lingxi.skill.v1)")
    parser.add_argument("--port", type=int, default=50070, help="0: a free port (printed)")
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(args.port, args.host))


if __name__ == "__main__":
    main()
