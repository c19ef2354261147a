package dev.zoomscheduler.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * One conditional update of one item, the way every store writes one (alone, or as an item of a transaction): attributes
 * are named through {@code #name} placeholders and set from {@code :name} values, conditions are joined with AND and
 * refer to attributes as {@code #name}. No expression is written by hand, so none can name an attribute it does not map.
 */
public final class Update {

    private static final Pattern NAME_PLACEHOLDER = Pattern.compile("#(\\w+)");

    private final Map<String, AttributeValue> key;
    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();

    public Update(Map<String, AttributeValue> key) {
        this.key = key;
    }

    /** {@code attribute = value}, its value under the placeholder {@code :attribute}. */
    public Update set(String attribute, AttributeValue value) {
        sets.add(name(attribute) + " = :" + attribute);
        values.put(":" + attribute, value);
        return this;
    }

    public Update remove(String attribute) {
        removes.add(name(attribute));
        return this;
    }

    /** Adds {@code value} to a number or a set attribute. */
    public Update add(String attribute, AttributeValue value) {
        adds.add(name(attribute) + " :" + attribute);
        values.put(":" + attribute, value);
        return this;
    }

    /** A condition, ANDed with the others; {@code #name} names an attribute, its values are given with {@link #value}. */
    public Update when(String condition) {
        conditions.add(condition);
        return this;
    }

    public Update value(String placeholder, AttributeValue value) {
        values.put(placeholder, value);
        return this;
    }

    /** The request, answering the item as {@code returns} has it, and as it was when a condition fails. */
    public UpdateItemRequest request(String table, ReturnValue returns) {
        UpdateItemRequest.Builder request = UpdateItemRequest.builder().tableName(table).key(key).updateExpression(expression())
                .expressionAttributeNames(namesOf()).expressionAttributeValues(values.isEmpty() ? null : values).returnValues(returns)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        return conditions.isEmpty() ? request.build() : request.conditionExpression(condition()).build();
    }

    /** The same update as one item of a transaction. */
    public software.amazon.awssdk.services.dynamodb.model.Update inTransaction(String table) {
        software.amazon.awssdk.services.dynamodb.model.Update.Builder update = software.amazon.awssdk.services.dynamodb.model.Update
                .builder().tableName(table).key(key).updateExpression(expression()).expressionAttributeNames(namesOf())
                .expressionAttributeValues(values.isEmpty() ? null : values);
        return conditions.isEmpty() ? update.build() : update.conditionExpression(condition()).build();
    }

    private String expression() {
        StringBuilder expression = new StringBuilder();
        clause(expression, "SET ", sets);
        clause(expression, "REMOVE ", removes);
        clause(expression, "ADD ", adds);
        return expression.toString();
    }

    private static void clause(StringBuilder expression, String verb, List<String> parts) {
        if (!parts.isEmpty()) {
            expression.append(expression.length() == 0 ? "" : " ").append(verb).append(String.join(", ", parts));
        }
    }

    /** Each condition in parentheses once there are two: AND binds tighter than OR, and a condition may hold an OR. */
    private String condition() {
        return conditions.size() == 1 ? conditions.get(0) : String.join(" AND ", conditions.stream().map(c -> "(" + c + ")").toList());
    }

    private Map<String, String> namesOf() {
        Map<String, String> all = new HashMap<>(names);
        all.putAll(namesIn(condition()));
        return all;
    }

    /** The attribute names an expression refers to as {@code #name}, as expressionAttributeNames wants them. */
    public static Map<String, String> namesIn(String expression) {
        Map<String, String> names = new HashMap<>();
        Matcher referenced = NAME_PLACEHOLDER.matcher(expression);
        while (referenced.find()) {
            names.put(referenced.group(), referenced.group(1));
        }
        return names;
    }

    private String name(String attribute) {
        names.put("#" + attribute, attribute);
        return "#" + attribute;
    }
}
