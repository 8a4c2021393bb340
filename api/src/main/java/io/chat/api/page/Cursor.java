package io.chat.api.page;

import java.util.Optional;

/** Where the previous page of a list ended: the last number it held and the order it was walked in. */
record Cursor(int after, String order) {

    String encode() {
        return Cursors.encode(this);
    }

    static Optional<Cursor> decode(String value) {
        return Cursors.decode(value, Cursor.class)
                .filter(cursor -> cursor.after() > 0 && SortOrder.fromParam(cursor.order()).isPresent());
    }
}
