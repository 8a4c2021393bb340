package io.chat.api.page;

import java.util.Optional;

public enum SortOrder {
    ASC, DESC;

    public String param() {
        return name().toLowerCase();
    }

    static Optional<SortOrder> fromParam(String value) {
        for (SortOrder order : values()) {
            if (order.param().equals(value)) {
                return Optional.of(order);
            }
        }
        return Optional.empty();
    }
}
