package io.cdcmesh.transforms;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import org.apache.kafka.common.config.ConfigException;

/** A compiled CEL condition over a normalized change event. Compiling is done once; evaluation is thread-safe. */
final class CelCondition {
    static final String[] STRING_VARS = {"type", "entity", "id", "uuid"};
    static final String[] INT_VARS = {"ts", "position"};
    static final String[] ROW_VARS = {"before", "after"};

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .build();

    private final String expression;
    private final CelRuntime.Program program;

    private CelCondition(String expression, CelRuntime.Program program) {
        this.expression = expression;
        this.program = program;
    }

    /** Compiles {@code expression}, or throws a ConfigException naming {@code configKey} with CEL's error. */
    static CelCondition compile(String configKey, String expression) {
        var builder = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS).setResultType(SimpleType.BOOL);
        for (String name : STRING_VARS) {
            builder.addVar(name, SimpleType.STRING);
        }
        for (String name : INT_VARS) {
            builder.addVar(name, SimpleType.INT);
        }
        for (String name : ROW_VARS) {
            builder.addVar(name, SimpleType.DYN);
        }
        CelCompiler compiler = builder.build();
        try {
            CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
            CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
            return new CelCondition(expression, runtime.createProgram(ast));
        } catch (CelValidationException e) {
            throw new ConfigException(configKey, expression, "CEL expression does not compile: " + e.getMessage());
        } catch (CelEvaluationException e) {
            throw new ConfigException(configKey, expression, "CEL expression cannot be planned: " + e.getMessage());
        }
    }

    /** Evaluates the condition; variables are resolved (and row images converted) only if the expression reads them. */
    boolean test(CelVariableResolver variables) throws CelEvaluationException {
        Object result = program.eval(variables);
        if (result instanceof Boolean b) {
            return b;
        }
        throw new CelEvaluationException("condition evaluated to " + result + ", not a bool");
    }

    String expression() {
        return expression;
    }
}
