package io.chat.api.trends.rest;

import io.chat.api.application.rest.ApplicationResource;
import io.chat.api.page.PageRequest;
import io.chat.api.trends.Interval;
import io.chat.api.trends.TopHashtags;
import io.chat.api.trends.TrendQuery;
import io.chat.api.trends.TrendService;
import io.chat.api.trends.Trends;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** An application's messages counted: per time bucket, and per hashtag. The application's token only. */
@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Trends")
public class TrendResource {

    public static final int DEFAULT_HASHTAGS = 10;
    public static final int MAX_HASHTAGS = 200;

    private final TrendService trends;

    public TrendResource(TrendService trends) {
        this.trends = trends;
    }

    @GET
    @Path(ApplicationResource.TOKEN + "/trends")
    @Operation(operationId = "getTrends", summary = "Messages per interval",
            description = "Counts the persisted, not deleted messages created in each interval between from and to, every bucket "
                    + "listed (empty ones with 0), aligned to the interval in UTC. At most " + TrendService.MAX_BUCKETS
                    + " buckets. The counts follow persistence within the search index's refresh (about a second).")
    public Trends trends(@PathParam("token") String token,
            @QueryParam("interval") @Parameter(ref = "interval") String interval,
            @QueryParam("from") @Parameter(ref = "trendsFrom") String from, @QueryParam("to") @Parameter(ref = "trendsTo") String to,
            @QueryParam("chat") @Parameter(ref = "chat") String chat, @QueryParam("sender") @Parameter(ref = "sender") String sender,
            @QueryParam("hashtag") @Parameter(ref = "hashtag") String hashtag) {
        Interval width = Interval.parse(interval);
        return trends.trends(token, width, TrendQuery.of(chat, sender, hashtag, from, to));
    }

    @GET
    @Path(ApplicationResource.TOKEN + "/hashtags")
    @Operation(operationId = "getTopHashtags", summary = "The most used hashtags",
            description = "The hashtags of the most persisted, not deleted messages created between from and to, most used "
                    + "first, then alphabetically.")
    public TopHashtags hashtags(@PathParam("token") String token,
            @QueryParam("from") @Parameter(ref = "trendsFrom") String from, @QueryParam("to") @Parameter(ref = "trendsTo") String to,
            @QueryParam("chat") @Parameter(ref = "chat") String chat,
            @QueryParam("limit") @Parameter(ref = "hashtagsLimit") String limit) {
        TrendQuery query = TrendQuery.of(chat, null, null, from, to);
        return trends.hashtags(token, query, PageRequest.parseLimit(limit, DEFAULT_HASHTAGS, MAX_HASHTAGS));
    }

}
