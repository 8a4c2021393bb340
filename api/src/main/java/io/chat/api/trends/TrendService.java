package io.chat.api.trends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chat.api.application.ApplicationEntity;
import io.chat.api.error.InvalidRequestException;
import io.chat.api.search.SearchClient;
import io.chat.common.search.MessageDocument;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trends and top hashtags, counted by the search engine over the documents the worker indexes (a
 * date_histogram, a terms aggregation): the index holds exactly the persisted, not deleted
 * messages, an edit's document has its new hashtags, and a delete removes the document. So the
 * counts lag persistence only by indexing and the index's refresh (docs/filters-and-trends.md). A
 * deleted chat's documents stay until the purge removes them: they are left out here meanwhile.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class TrendService {

    public static final int MAX_BUCKETS = 1000;

    private final SearchClient search;
    private final EntityManager em;

    public TrendService(SearchClient search, EntityManager em) {
        this.search = search;
        this.em = em;
    }

    public Trends trends(String token, Interval interval, TrendQuery query) {
        long first = interval.floor(query.from().toEpochMilli());
        long end = query.to().toEpochMilli();
        long buckets = query.from().equals(query.to()) ? 0 : (interval.floor(end - 1) - first) / interval.millis() + 1;
        if (buckets > MAX_BUCKETS) {
            throw new InvalidRequestException("interval", "gives " + buckets + " buckets from " + query.from() + " to "
                    + query.to() + "; at most " + MAX_BUCKETS + ": a longer interval or a shorter time");
        }
        ObjectNode body = request(token, query);
        body.putObject("aggs").putObject("per_interval").putObject("date_histogram")
                .put("field", MessageDocument.CREATED_AT).put("fixed_interval", interval.text()).put("min_doc_count", 1);
        Map<Long, Long> counts = new HashMap<>();
        for (JsonNode bucket : search.search(body).path("aggregations").path("per_interval").path("buckets")) {
            counts.put(bucket.path("key").asLong(), bucket.path("doc_count").asLong());
        }
        List<Trends.Bucket> list = new ArrayList<>((int) buckets);
        for (long i = 0; i < buckets; i++) {
            long start = first + i * interval.millis();
            list.add(new Trends.Bucket(Instant.ofEpochMilli(start), counts.getOrDefault(start, 0L)));
        }
        return new Trends(interval.text(), query.from(), query.to(), list);
    }

    public TopHashtags hashtags(String token, TrendQuery query, int limit) {
        ObjectNode body = request(token, query);
        ObjectNode terms = body.putObject("aggs").putObject("top").putObject("terms")
                .put("field", MessageDocument.HASHTAGS).put("size", limit);
        ArrayNode order = terms.putArray("order");
        order.addObject().put("_count", "desc");
        order.addObject().put("_key", "asc");
        List<TopHashtags.Count> data = new ArrayList<>();
        for (JsonNode bucket : search.search(body).path("aggregations").path("top").path("buckets")) {
            data.add(new TopHashtags.Count(bucket.path("key").asText(), bucket.path("doc_count").asLong()));
        }
        return new TopHashtags(data);
    }

    /** The query of both: the application's documents of the time (and chat, sender, hashtag), no hits. */
    private ObjectNode request(String token, TrendQuery query) {
        long application = ApplicationEntity.findLiveId(token).orElseThrow(NotFoundException::new);
        ObjectNode body = search.body().put("size", 0).put("track_total_hits", false);
        ObjectNode bool = body.putObject("query").putObject("bool");
        ArrayNode filter = bool.putArray("filter");
        filter.addObject().putObject("term").put(MessageDocument.APPLICATION_ID, application);
        filter.addObject().putObject("range").putObject(MessageDocument.CREATED_AT).put("gte", query.from().toEpochMilli())
                .put("lt", query.to().toEpochMilli()).put("format", "epoch_millis");
        if (query.chat() != null) {
            long chat = liveChat(application, query.chat());
            filter.addObject().putObject("term").put(MessageDocument.CHAT_ID, chat);
        } else {
            List<Long> deleted = deletedChats(application);
            if (!deleted.isEmpty()) {
                ArrayNode chats = bool.putArray("must_not").addObject().putObject("terms").putArray(MessageDocument.CHAT_ID);
                deleted.forEach(chats::add);
            }
        }
        if (query.sender() != null) {
            filter.addObject().putObject("term").put(MessageDocument.SENDER, query.sender());
        }
        if (query.hashtag() != null) {
            filter.addObject().putObject("term").put(MessageDocument.HASHTAGS, query.hashtag());
        }
        return body;
    }

    private long liveChat(long application, int number) {
        return em.createQuery("select c.id from ChatEntity c where c.applicationId = ?1 and c.number = ?2 and c.deletedAt is null",
                        Long.class)
                .setParameter(1, application).setParameter(2, number)
                .getResultStream().findFirst().orElseThrow(TrendQuery::unknownChat);
    }

    /** Chats deleted, whose documents the purge has not removed yet: a few at most, usually none. */
    private List<Long> deletedChats(long application) {
        return em.createQuery("select c.id from ChatEntity c where c.applicationId = ?1 and c.deletedAt is not null", Long.class)
                .setParameter(1, application).getResultList();
    }
}
