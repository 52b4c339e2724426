package io.cdcmesh.common;

import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;

/**
 * What of a setting's value may appear in an error, a log line or a REST answer: never a password. A key the
 * connector declares as {@code Type.PASSWORD}, or one it does not declare at all (a pass-through such as
 * {@code target.producer.sasl.jaas.config}), shows as {@code [hidden]}, as Kafka shows a password; a URL shows
 * without its user info or password parameters.
 */
public final class Redaction {
    public static final String HIDDEN = "[hidden]";

    /** {@code user:secret@} after a scheme, and {@code password=...} (or secret, token, key) parameters. */
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]*@");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret|token|api[._-]?key|sasl\\.jaas\\.config)[^=;&\\s]*=)[^;&\\s]*");

    private Redaction() {}

    /** The value of {@code key} as it may be shown: hidden unless {@code definition} declares it and not as a password. */
    public static Object shown(ConfigDef definition, String key, Object value) {
        ConfigDef.ConfigKey declared = definition.configKeys().get(key);
        if (value == null) {
            return null;
        }
        if (declared == null || declared.type == ConfigDef.Type.PASSWORD) {
            return HIDDEN;
        }
        return text(value.toString());
    }

    /** A URL or a list of settings with user info and secret-looking parameters replaced by {@code [hidden]}. */
    public static String text(String value) {
        if (value == null) {
            return null;
        }
        String out = USER_INFO.matcher(value).replaceAll(HIDDEN + "@");
        return SECRET_PARAMETER.matcher(out).replaceAll("$1" + HIDDEN.replace("[", "\\[").replace("]", "\\]"));
    }
}
