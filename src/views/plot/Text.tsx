// Text in a plot, in the theme's type and axis colour unless told otherwise. Styles are inline
// attributes (not CSS) so that an exported SVG looks the same as on the page.
import type { SVGProps } from 'react';
import { AXIS_COLOR, FONT } from './theme';

export function PlotText({ fill = AXIS_COLOR, ...rest }: SVGProps<SVGTextElement>) {
  return <text fontFamily={FONT} fill={fill} {...rest} />;
}
