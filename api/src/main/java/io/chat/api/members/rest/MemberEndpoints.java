package io.chat.api.members.rest;

import io.chat.api.chat.ChatEntity;
import io.chat.api.identity.Caller;
import io.chat.api.members.Members;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

/** A chat's members, whichever way the request came in (MemberResource, ClientMemberResource). */
@ApplicationScoped
public class MemberEndpoints {

    private final Members members;

    public MemberEndpoints(Members members) {
        this.members = members;
    }

    public MemberList list(Caller caller, int number) {
        long chatId = QuarkusTransaction.requiringNew()
                .call(() -> ChatEntity.findLive(caller, number).map(chat -> chat.id))
                .orElseThrow(NotFoundException::new);
        return new MemberList(members.list(chatId));
    }
}
