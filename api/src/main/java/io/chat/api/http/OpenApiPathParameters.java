package io.chat.api.http;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.media.Schema;
import java.math.BigDecimal;

/**
 * Path parameters as the API reads them. The path templates' regexes become the schemas' patterns,
 * which JSON Schema matches anywhere in the value: anchored here, so that a token must be exactly 22
 * characters. A number in a path is a positive integer (int32: 1 to 2,147,483,647; anything else is a 404).
 */
@OpenApiFilter(value = OpenApiFilter.RunStage.BUILD, priority = 3)
public class OpenApiPathParameters implements OASFilter {

    @Override
    public Parameter filterParameter(Parameter parameter) {
        Schema schema = parameter.getSchema();
        if (parameter.getIn() != Parameter.In.PATH || schema == null) {
            return parameter;
        }
        String pattern = schema.getPattern();
        if (pattern != null && !pattern.startsWith("^")) {
            schema.setPattern("^" + pattern + "$");
        }
        if (schema.getType() != null && schema.getType().contains(Schema.SchemaType.INTEGER)) {
            schema.setMinimum(BigDecimal.ONE);
        }
        return parameter;
    }
}
