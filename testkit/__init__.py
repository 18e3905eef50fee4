"""What the tests and the benchmarks share: voice fixtures synthesised on demand, and a delaying TCP proxy.

Not installed with the service; importable from the repository root.
"""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from testkit.delay_proxy import DelayProxy
    from testkit.fake_elasticsearch import FakeCluster, fake_node_class
    from testkit.redis_server import RedisServer
    from testkit.voice_fixtures import load_commands, make_fixtures, missing_tools, synthesise

__all__ = ["DelayProxy", "FakeCluster", "RedisServer", "fake_node_class", "load_commands", "make_fixtures", "missing_tools",
           "synthesise"]

__getattr__ = lazy_exports(__name__, {
    "delay_proxy": ["DelayProxy"],
    "fake_elasticsearch": ["FakeCluster", "fake_node_class"],
    "redis_server": ["RedisServer"],
    "voice_fixtures": ["load_commands", "make_fixtures", "missing_tools", "synthesise"],
})
