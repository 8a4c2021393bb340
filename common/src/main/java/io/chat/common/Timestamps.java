package io.chat.common;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/** The contract's timestamps: UTC, millisecond precision, always three fraction digits. */
public final class Timestamps {

    public static final DateTimeFormatter RFC_3339_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter SQL_WRITE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter SQL_READ = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private Timestamps() {
    }

    /** Now, cut to what a DATETIME(3) column keeps, so that what we answer is what we stored. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * A DATETIME(3) value as SQL text. We bind timestamps as text because MySQL Connector/J drops
     * the fraction of a bound timestamp when the server reports a version below 5.6.4, and MariaDB
     * announces itself as "5.5.5-10.11…": text keeps the milliseconds on MySQL and MariaDB alike.
     */
    public static String toSql(Instant instant) {
        return SQL_WRITE.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    public static Instant fromSql(String value) {
        return LocalDateTime.parse(value, SQL_READ).toInstant(ZoneOffset.UTC);
    }
}
