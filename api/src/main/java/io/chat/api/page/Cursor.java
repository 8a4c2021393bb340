package io.chat.api.page;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where the previous page of a list ended: the last number it held, the order it was walked in and,
 * on a filtered list, a fingerprint of its filters (absent on an unfiltered one): a cursor walks on
 * only the list it came from.
 */
record Cursor(int after, String order, @JsonInclude(JsonInclude.Include.NON_NULL) String filter) {

    boolean isValid() {
        return after > 0 && SortOrder.fromParam(order).isPresent();
    }
}
