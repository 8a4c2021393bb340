package io.chat.api.page;

/** Where the previous page of a list ended: the last number it held and the order it was walked in. */
record Cursor(int after, String order) {

    boolean isValid() {
        return after > 0 && SortOrder.fromParam(order).isPresent();
    }
}
