package io.chat.api.members.rest;

import io.chat.api.identity.Caller;
import io.chat.api.members.Members;
import io.chat.api.names.LiveNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

/** A chat's members, whichever way the request came in (MemberResource, ClientMemberResource). */
@ApplicationScoped
public class MemberEndpoints {

    private final Members members;
    private final LiveNames names;

    public MemberEndpoints(Members members, LiveNames names) {
        this.members = members;
        this.names = names;
    }

    public MemberList list(Caller caller, int number) {
        long chatId = names.chat(caller, number).orElseThrow(NotFoundException::new).id();
        return new MemberList(members.list(chatId));
    }
}
