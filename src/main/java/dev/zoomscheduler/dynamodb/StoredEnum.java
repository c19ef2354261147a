package dev.zoomscheduler.dynamodb;

import java.util.Locale;

/**
 * An enum kept in a string attribute as its name in lower case ({@code in_progress}, {@code reauthorization_required}),
 * the words an operator writes by hand, and read back from it.
 */
public interface StoredEnum {

    String name();

    /** As it is stored (and shown in descriptions). */
    default String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant stored as {@code value}; {@code otherwise} if the attribute is absent or holds no constant of {@code type}. */
    static <E extends Enum<E> & StoredEnum> E read(Class<E> type, String value, E otherwise) {
        for (E constant : type.getEnumConstants()) {
            if (constant.attributeValue().equals(value)) {
                return constant;
            }
        }
        return otherwise;
    }
}
