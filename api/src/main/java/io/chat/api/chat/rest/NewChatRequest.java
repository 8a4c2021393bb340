package io.chat.api.chat.rest;

/** Body of POST .../chats: optional, and an empty object when given. Its presence makes bad JSON a 400. */
public record NewChatRequest() {
}
