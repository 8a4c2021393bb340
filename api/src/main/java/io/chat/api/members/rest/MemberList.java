package io.chat.api.members.rest;

import io.chat.api.members.Members;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Who follows a chat right now, across replicas, by user. */
@Schema(requiredProperties = "data")
public record MemberList(List<Members.Member> data) {
}
