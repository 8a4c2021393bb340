package io.chat.api.config;

import io.chat.common.messaging.BrokerSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "chat")
public interface ApiConfig {

    /** What a 503 tells clients to wait before they retry. */
    @WithDefault("5s")
    Duration retryAfter();

    Rabbitmq rabbitmq();

    Idempotency idempotency();

    Cache cache();

    RateLimit rateLimit();

    Numbering numbering();

    UserTokens userTokens();

    Events events();

    Names names();

    interface Names {
        /** The fanout exchange on which a replica that deleted an application or a chat tells the others (io.chat.api.names). */
        @WithDefault("chat.names")
        String exchange();

        /**
         * How long a replica trusts what it resolved, at most: what bounds a stale answer should a
         * delete's notice not reach it while its broker connection still looks open.
         */
        @WithDefault("10s")
        Duration ttl();
    }

    interface Events {
        /** The fanout exchange of committed events (io.chat.common.events.ChatEventFanout). */
        @WithDefault("chat.events")
        String exchange();

        /** How often an idle stream gets a comment line (the contract: at least every 20 s). */
        @WithDefault("15s")
        Duration heartbeat();

        /**
         * Live events a subscriber may have waiting to be written: one that reads more slowly is cut
         * off (it resumes later from its last id) rather than grow the replica's memory.
         */
        @WithDefault("1000")
        int buffer();

        /** Events a replay reads from MySQL at a time. */
        @WithDefault("200")
        int replayPage();

        /**
         * Threads that send events to this replica's subscribers, reading replays and gaps from
         * MySQL: at most this many pooled connections go to them, however many clients reconnect.
         */
        @WithDefault("4")
        int threads();

        /** Event streams and sockets one application may hold open on all replicas together; 0: no cap. */
        @WithDefault("10000")
        int maxPerApplication();

        /** Event streams and sockets one user (by user tokens) may hold open on all replicas together; 0: no cap. */
        @WithDefault("20")
        int maxPerUser();

        /** Frames a second one socket may send (twice that in a burst); past it, 429 error frames. */
        @WithDefault("20")
        int socketFrames();
    }

    interface UserTokens {
        /** The iss claim of the tokens minted here, and the only one accepted. */
        @WithDefault("chat")
        String issuer();
    }

    interface Numbering {
        /** How long a message create waits for its number before it answers 503. */
        @WithDefault("10s")
        Duration timeout();
    }

    interface RateLimit {
        /** Requests one application may make per window, across all replicas; 0 turns limiting off. */
        @WithDefault("1000")
        int requests();

        @WithDefault("1s")
        Duration window();

        /**
         * Requests one user may make per window, by user tokens; the users of an application together
         * have {@link #requests()} per window too. 0 turns it off.
         */
        @WithDefault("100")
        int userRequests();
    }

    interface Cache {
        /** How long a cached list page lives at most; writes invalidate it sooner. */
        @WithDefault("60s")
        Duration ttl();
    }

    interface Rabbitmq extends BrokerSettings {
        /** How long a request waits for the broker's publisher confirm before it answers 503. */
        @WithDefault("5s")
        Duration confirmTimeout();
    }

    interface Idempotency {
        /** How long a completed answer is replayed for its key. */
        @WithDefault("24h")
        Duration retention();

        /** How long a request being handled holds its key (409 for repeats meanwhile). */
        @WithDefault("60s")
        Duration inFlightTimeout();
    }
}
