package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Collections;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;

/** The payload index types a spec may ask for, by their names in Qdrant's documentation. */
@RegisterForReflection // read from spec YAML by Jackson
public enum PayloadIndexType {
    KEYWORD(Collections.PayloadSchemaType.Keyword),
    INTEGER(Collections.PayloadSchemaType.Integer),
    FLOAT(Collections.PayloadSchemaType.Float),
    BOOL(Collections.PayloadSchemaType.Bool),
    GEO(Collections.PayloadSchemaType.Geo),
    TEXT(Collections.PayloadSchemaType.Text),
    DATETIME(Collections.PayloadSchemaType.Datetime),
    UUID(Collections.PayloadSchemaType.Uuid);

    private final Collections.PayloadSchemaType schemaType;

    PayloadIndexType(Collections.PayloadSchemaType schemaType) {
        this.schemaType = schemaType;
    }

    /** Qdrant's protobuf type of this index. */
    public Collections.PayloadSchemaType schemaType() {
        return schemaType;
    }

    /** The name used in spec files and reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The spec type of a Qdrant payload schema type, as a label (unknown types keep Qdrant's name). */
    public static String labelOf(Collections.PayloadSchemaType type) {
        for (PayloadIndexType t : values()) {
            if (t.schemaType == type) {
                return t.label();
            }
        }
        return type.name().toLowerCase(Locale.ROOT);
    }
}
