package io.chat.api.filter;

import io.chat.api.message.MessageEntity;
import io.chat.api.page.PageRequest;
import io.chat.api.page.SortOrder;
import io.chat.common.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A page of a chat's visible messages, filtered, in number order, each shape of query a range of one
 * index (docs/filters-and-trends.md shows their EXPLAIN on a chat of 1,000,000 messages):
 * <ul>
 * <li>no sender, no hashtag: the primary key (chat_id, number);
 * <li>a sender: idx_messages_chat_sender (chat_id, sender, number);
 * <li>a hashtag (and maybe a sender): idx_message_hashtags_chat_tag (chat_id, hashtag, number), then
 * each message by its primary key.
 * </ul>
 * from and to narrow the range of numbers: created_at never decreases as numbers grow within a chat
 * (ChatCounters), so the messages of a time range are those from the first one at or after from to
 * the last one before to, two lookups in idx_messages_chat_created. The times are checked again
 * row by row, so a message stored before numbering gave that guarantee is never listed wrongly.
 */
@ApplicationScoped
public class FilteredMessages {

    private final EntityManager em;

    public FilteredMessages(EntityManager em) {
        this.em = em;
    }

    public List<MessageEntity> page(long chatId, MessageFilter filter, PageRequest page) {
        Integer first = 0;
        if (filter.from() != null) {
            first = firstAtOrAfter(chatId, filter.from()).orElse(null);
            if (first == null) {
                return List.of(); // nothing at or after from
            }
        }
        Integer end = filter.to() == null ? null : firstAtOrAfter(chatId, filter.to()).orElse(null);

        boolean byHashtag = filter.hashtag() != null;
        String number = byHashtag ? "h.number" : "m.number";
        StringBuilder sql = new StringBuilder("SELECT m.* FROM ");
        Map<String, Object> parameters = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        if (byHashtag) {
            sql.append("message_hashtags h FORCE INDEX (idx_message_hashtags_chat_tag) STRAIGHT_JOIN messages m"
                    + " ON m.chat_id = h.chat_id AND m.number = h.number");
            where.add("h.chat_id = :chat");
            where.add("h.hashtag = :hashtag");
            parameters.put("hashtag", filter.hashtag());
        } else {
            sql.append("messages m FORCE INDEX (").append(filter.sender() == null ? "PRIMARY" : "idx_messages_chat_sender").append(")");
            where.add("m.chat_id = :chat");
        }
        parameters.put("chat", chatId);
        if (filter.sender() != null) {
            where.add("m.sender = :sender");
            parameters.put("sender", filter.sender());
        }
        where.add("m.created = TRUE AND m.deleted = FALSE");
        if (first > 0) {
            where.add(number + " >= :first");
            parameters.put("first", first);
        }
        if (end != null) {
            where.add(number + " < :end");
            parameters.put("end", end);
        }
        if (filter.from() != null) {
            where.add("m.created_at >= :from");
            parameters.put("from", Timestamps.toSql(filter.from()));
        }
        if (filter.to() != null) {
            where.add("m.created_at < :to");
            parameters.put("to", Timestamps.toSql(filter.to()));
        }
        boolean ascending = page.order() == SortOrder.ASC;
        where.add(number + (ascending ? " > :after" : " < :after"));
        parameters.put("after", page.boundary());
        sql.append(" WHERE ").append(String.join(" AND ", where))
                .append(" ORDER BY ").append(number).append(ascending ? " ASC" : " DESC")
                .append(" LIMIT ").append(page.fetchSize());

        Query query = em.createNativeQuery(sql.toString(), MessageEntity.class);
        parameters.forEach(query::setParameter);
        @SuppressWarnings("unchecked")
        List<MessageEntity> rows = query.getResultList();
        return rows;
    }

    /**
     * The number of the chat's first message created at or after {@code at}, persisted or deleted
     * since: where the messages of a time range begin (or, for its end, where they stop).
     */
    private Optional<Integer> firstAtOrAfter(long chatId, Instant at) {
        @SuppressWarnings("unchecked")
        List<Number> numbers = em.createNativeQuery("SELECT number FROM messages FORCE INDEX (idx_messages_chat_created)"
                        + " WHERE chat_id = :chat AND created_at >= :at ORDER BY created_at, number LIMIT 1")
                .setParameter("chat", chatId)
                .setParameter("at", Timestamps.toSql(at))
                .getResultList();
        return numbers.stream().findFirst().map(Number::intValue);
    }
}
