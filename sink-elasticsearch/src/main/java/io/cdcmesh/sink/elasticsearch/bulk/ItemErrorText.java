package io.cdcmesh.sink.elasticsearch.bulk;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An item error of a bulk response, told without row values. Elasticsearch quotes the document id and a preview of
 * the refused value in its reasons ({@code in document with id '42'. Preview of field's value: '...'}); the text
 * goes to logs and dead-letter headers, so only names (field, type, index) are kept and every other quoted or
 * bracketed part is withheld.
 */
final class ItemErrorText {
    private static final Pattern PREVIEW = Pattern.compile("(?s)\\.?\\s*Preview of field's value:.*$");
    private static final Pattern QUOTED_OR_BRACKETED = Pattern.compile("(\\b(?:field|type|index|mapping)\\s+)?(\\[[^\\]]*\\]|'[^']*')");

    private ItemErrorText() {}

    static String of(String type, String reason) {
        if (reason == null) {
            return type;
        }
        String text = PREVIEW.matcher(reason).replaceFirst("");
        Matcher m = QUOTED_OR_BRACKETED.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String kept = m.group(1) != null ? m.group(0) : "[…]";
            m.appendReplacement(out, Matcher.quoteReplacement(kept));
        }
        m.appendTail(out);
        return type + ": " + out;
    }
}
