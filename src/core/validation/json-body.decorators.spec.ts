import { Controller, Post } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { DECORATORS } from '@nestjs/swagger';
import { booleanRule } from './field-rules';
import { BodyField, bodyPipeFor, JsonBody, ValidBody } from './json-body.decorators';
import { JsonBodyPipe } from './json-body.pipe';

const FLAG = booleanRule({ description: 'A flag.' });

@JsonBody({ name: 'Toggle', description: 'A toggle.', optional: true })
class ToggleDto {
  @BodyField(FLAG, { default: false })
  on?: boolean;
}

class NotABody {}

@Controller('t')
class ToggleController {
  @Post()
  toggle(@ValidBody(ToggleDto) body?: ToggleDto) {
    return body;
  }
}

describe('JSON body decorators', () => {
  it('make one pipe per class from its fields and options', () => {
    const pipe = bodyPipeFor(ToggleDto);
    expect(pipe).toBe(bodyPipeFor(ToggleDto));
    expect(pipe.transform(undefined)).toBeUndefined();
    expect(pipe.transform({ on: true })).toEqual({ on: true });
    expect(() => pipe.transform({ on: 'yes' })).toThrow('Request validation failed');
  });

  it('refuse a class that declares no body', () => {
    expect(() => bodyPipeFor(NotABody)).toThrow(/NotABody is not a @JsonBody class/);
  });

  it('@ValidBody puts the pipe on the parameter and documents the body (optional here)', () => {
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, ToggleController, 'toggle') as Record<
      string,
      { pipes: unknown[] }
    >;
    const [body] = Object.values(args);
    expect(body.pipes).toEqual([bodyPipeFor(ToggleDto)]);
    expect(body.pipes[0]).toBeInstanceOf(JsonBodyPipe);
    const documented = Reflect.getMetadata(
      DECORATORS.API_PARAMETERS,
      ToggleController.prototype.toggle,
    ) as Array<{ in: string; type: unknown; required: boolean }>;
    expect(documented).toEqual([
      expect.objectContaining({ in: 'body', type: ToggleDto, required: false }),
    ]);
  });
});
