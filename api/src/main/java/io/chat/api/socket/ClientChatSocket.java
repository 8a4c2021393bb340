package io.chat.api.socket;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.buffer.Buffer;

/** A chat's socket for one user, by a user token: in the Authorization header, or from a browser in access_token (see SocketUpgrade). */
@WebSocket(path = "/chats/{number}/socket", inboundProcessingMode = InboundProcessingMode.SERIAL)
public class ClientChatSocket {

    private final SocketSessions sessions;

    public ClientChatSocket(SocketSessions sessions) {
        this.sessions = sessions;
    }

    /** Blocking: the caps count the socket in Redis. */
    @OnOpen
    @Blocking
    void open(WebSocketConnection connection) {
        sessions.open(connection);
    }

    /** Blocking: a post waits for the broker's confirm. */
    @OnTextMessage
    @Blocking
    void text(WebSocketConnection connection, String frame) {
        sessions.receive(connection, frame);
    }

    @OnBinaryMessage
    void binary(WebSocketConnection connection, Buffer frame) {
        sessions.receiveBinary(connection);
    }

    /** Vert.x refuses a message over the size limit (a frame over it, Netty closes by itself). */
    @OnError
    void failed(WebSocketConnection connection, IllegalStateException failure) {
        sessions.failed(connection, failure);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        sessions.close(connection);
    }
}
