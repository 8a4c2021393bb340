#!/bin/sh
# A Redis Sentinel of docker-compose.cluster.yaml: watches the master `chat` (the `redis` service),
# and agrees with the two other sentinels (quorum 2) on a failover to `redis-replica`.
set -eu
cat >/tmp/sentinel.conf <<CONF
port 26379
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel monitor chat redis 6379 2
sentinel down-after-milliseconds chat 5000
sentinel failover-timeout chat 30000
sentinel parallel-syncs chat 1
CONF
exec redis-sentinel /tmp/sentinel.conf
