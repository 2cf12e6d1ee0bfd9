"""Settings for `bench/board_fanout.py --layer pubsub`: the test settings with channels-redis's pub/sub layer
(one PUBLISH per group send, one subscription per process and group), to compare with the default layer."""
from dvc.settings_test import *  # noqa: F403
from dvc.settings_test import REDIS_URL

CHANNEL_LAYERS = {
    "default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}},
}
