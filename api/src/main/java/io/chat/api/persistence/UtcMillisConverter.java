package io.chat.api.persistence;

import io.chat.common.Timestamps;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;

/** Every Instant attribute goes to its DATETIME(3) column as SQL text: see {@link Timestamps#toSql}. */
@Converter(autoApply = true)
public class UtcMillisConverter implements AttributeConverter<Instant, String> {

    @Override
    public String convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : Timestamps.toSql(instant);
    }

    @Override
    public Instant convertToEntityAttribute(String value) {
        return value == null ? null : Timestamps.fromSql(value);
    }
}
